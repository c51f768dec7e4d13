# Registers the lit suite of one front-end test folder (test/tidy,
# test/clangd, test/ci) with CTest, as `lit-<folder>`. Included by each
# folder's CMakeLists.txt; test/CMakeLists.txt has already written the
# suite's site config (<build>/test/lit.site.cfg.py) and found lit.py.
#
# The front-end tests need more paths than that site config holds; they go
# into <build>/test/<folder>/lit.frontends.json, which lit_frontends.py reads.

function(awaitify_frontend_lit_suite folder)
  find_program(AWAITIFY_CLANG_TIDY
    NAMES clang-tidy-${LLVM_VERSION_MAJOR} clang-tidy
    HINTS ${LLVM_TOOLS_BINARY_DIR})
  find_program(AWAITIFY_CLANG_APPLY_REPLACEMENTS
    NAMES clang-apply-replacements-${LLVM_VERSION_MAJOR} clang-apply-replacements
    HINTS ${LLVM_TOOLS_BINARY_DIR})
  set(clangd "")
  if(TARGET awaitify-clangd)
    set(clangd "$<TARGET_FILE:awaitify-clangd>")
  endif()
  file(GENERATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/lit.frontends.json
    CONTENT "{
  \"awaitify\": \"$<TARGET_FILE:awaitify>\",
  \"tidy_plugin\": \"$<TARGET_FILE:awaitifyTidyPlugin>\",
  \"awaitify_clangd\": \"${clangd}\",
  \"clang_tidy\": \"${AWAITIFY_CLANG_TIDY}\",
  \"clang_apply_replacements\": \"${AWAITIFY_CLANG_APPLY_REPLACEMENTS}\",
  \"llvm_major\": \"${LLVM_VERSION_MAJOR}\",
  \"build_dir\": \"${PROJECT_BINARY_DIR}\"
}
")
  if(NOT AWAITIFY_LIT_PY)
    message(WARNING "awaitify: lit.py not found; lit-${folder} is not registered")
    return()
  endif()
  add_test(NAME lit-${folder}
    COMMAND ${Python3_EXECUTABLE} ${AWAITIFY_LIT_PY} -sv
            ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(lit-${folder} PROPERTIES TIMEOUT 900 PROCESSORS 2)
endfunction()
