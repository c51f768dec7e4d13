# Installs the runtime component of an awaitify build into a fresh prefix, then
# configures, builds and runs consumer/ against that prefix alone.
#   cmake -D AWAITIFY_BUILD_DIR=... -D CONSUMER_SOURCE_DIR=... -D WORK_DIR=...
#         -D CXX_COMPILER=... -D GENERATOR=... -P run.cmake
foreach(var AWAITIFY_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR CXX_COMPILER GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D ${var}=... is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")

execute_process(
  COMMAND ${CMAKE_COMMAND} --install "${AWAITIFY_BUILD_DIR}"
          --component awaitify_runtime --prefix "${prefix}"
  COMMAND_ERROR_IS_FATAL ANY)

execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${CONSUMER_SOURCE_DIR}" -B "${build}" -G "${GENERATOR}"
          -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
          -DCMAKE_PREFIX_PATH=${prefix}
          -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
          -DCMAKE_BUILD_TYPE=Release
  COMMAND_ERROR_IS_FATAL ANY)

# The package must have come from the prefix, not from anywhere else.
file(STRINGS "${build}/CMakeCache.txt" found REGEX "^awaitify_DIR:")
string(FIND "${found}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "consumer found awaitify outside the install prefix: ${found}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} --build "${build}" COMMAND_ERROR_IS_FATAL ANY)
execute_process(
  COMMAND "${build}/consumer"
  OUTPUT_VARIABLE out
  RESULT_VARIABLE rc)
message(STATUS "consumer printed: ${out}")
if(NOT rc EQUAL 0 OR NOT out STREQUAL "hello user-7 42\n")
  message(FATAL_ERROR "consumer failed (exit ${rc})")
endif()
