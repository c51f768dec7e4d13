//===- ReportPage.cpp - The report as a static page -----------------------===//
//
// index.html holds every count and every finding as plain HTML, so the
// numbers read the same without JavaScript; report.js filters the findings
// and draws each chain's rewrite side by side from the hunks that
// index.html carries in a <script type="application/json"> block. Text
// from the sources is escaped wherever it goes: HTML-escaped in the
// markup, and with '<', '>' and '&' as \u escapes in the JSON block (so
// that no "</script>" in a source ends it).
//
//===----------------------------------------------------------------------===//
#include "ReportPage.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace awaitify::cli {

// report.js and report.css, embedded at build time (tool/cli/report/).
#include "ReportAssets.inc"

namespace {

std::string html(llvm::StringRef Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    switch (C) {
    case '&':
      Out += "&amp;";
      break;
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '"':
      Out += "&quot;";
      break;
    case '\'':
      Out += "&#39;";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

/// \p V as JSON that may stand inside a <script> element: '<', '>' and '&'
/// (which only occur inside strings) become \u escapes.
std::string scriptJson(const llvm::json::Value &V) {
  std::string Text;
  llvm::raw_string_ostream(Text) << V;
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    if (C == '<')
      Out += "\\u003c";
    else if (C == '>')
      Out += "\\u003e";
    else if (C == '&')
      Out += "\\u0026";
    else
      Out += C;
  }
  return Out;
}

std::string kindClass(Finding::Kind K) {
  std::string Name = kindName(K).str();
  std::replace(Name.begin(), Name.end(), ' ', '-');
  return Name;
}

void writeHead(llvm::raw_ostream &OS, const ReportModel &M) {
  FolderCounts Total = M.folders().back();
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; script-src 'self'; style-src 'self'; img-src 'self'\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n"
     << "<title>awaitify migration report</title>\n"
     << "<link rel=\"stylesheet\" href=\"report.css\">\n</head>\n<body>\n"
     << "<header>\n<h1>awaitify migration report</h1>\n"
     << "<p class=\"summary\" id=\"summary\">"
     << "<span data-count=\"files\">" << M.Files << "</span> files analysed, "
     << "<span data-count=\"chains\">" << Total.Chains
     << "</span> chains found, <span data-count=\"converted\">"
     << Total.Converted << "</span> converted, "
     << "<span data-count=\"notConverted\">" << Total.NotConverted
     << "</span> not converted, <span data-count=\"leftAlone\">"
     << Total.LeftAlone << "</span> places left alone, "
     << "<span data-count=\"errors\">" << M.Errors.size()
     << "</span> errors.</p>\n<p class=\"meta\">From " << M.Inputs
     << (M.Inputs == 1 ? " JSON document" : " JSON documents")
     << " of awaitify " << html(M.ToolVersion) << ".</p>\n</header>\n<main>\n";
}

void writeFolders(llvm::raw_ostream &OS, const ReportModel &M) {
  OS << "<section id=\"folders\">\n<h2>By folder</h2>\n"
     << "<table id=\"folder-counts\">\n<thead><tr><th>Folder</th>"
     << "<th>Chains found</th><th>Converted</th><th>Not converted</th>"
     << "<th>Left alone</th><th>Safe</th><th>Reasonable</th><th>Risky</th>"
     << "</tr></thead>\n<tbody>\n";
  std::vector<FolderCounts> Folders = M.folders();
  for (const FolderCounts &C : Folders) {
    bool Total = &C == &Folders.back();
    if (Total)
      OS << "</tbody>\n<tfoot>\n";
    OS << "<tr data-folder=\"" << html(C.Folder) << "\">"
       << (Total ? "<th>All folders</th>" : "<td>" + html(C.Folder) + "</td>");
    std::pair<const char *, unsigned> Cells[] = {
        {"chains", C.Chains},
        {"converted", C.Converted},
        {"notConverted", C.NotConverted},
        {"leftAlone", C.LeftAlone},
        {"safe", C.Safe},
        {"reasonable", C.Reasonable},
        {"risky", C.Risky}};
    for (auto [Name, N] : Cells)
      OS << "<td data-count=\"" << Name << "\">" << N << "</td>";
    OS << "</tr>\n";
  }
  OS << "</tfoot>\n</table>\n</section>\n";
}

void writeReasons(llvm::raw_ostream &OS, const ReportModel &M) {
  OS << "<section id=\"reasons\">\n<h2>Not converted or left alone, by "
        "reason</h2>\n";
  std::vector<ReasonCount> Reasons = M.reasons();
  if (Reasons.empty()) {
    OS << "<p>Every chain found was converted, and nothing was left "
          "alone.</p>\n</section>\n";
    return;
  }
  OS << "<table id=\"reason-counts\">\n<thead><tr><th>Reason</th>"
     << "<th>Status</th><th>Count</th><th>Folders</th></tr></thead>\n"
     << "<tbody>\n";
  for (const ReasonCount &R : Reasons) {
    OS << "<tr class=\"" << kindClass(R.K) << "\"><td class=\"reason\">"
       << html(R.Reason) << "</td><td>" << kindName(R.K)
       << "</td><td data-count=\"count\">" << R.Count << "</td><td>";
    llvm::ListSeparator Sep(", ");
    for (const auto &[Folder, N] : R.Folders)
      OS << Sep << html(Folder) << " (" << N << ")";
    OS << "</td></tr>\n";
  }
  OS << "</tbody>\n</table>\n</section>\n";
}

void writeFindingRow(llvm::raw_ostream &OS, const Finding &F, size_t Id) {
  bool Chain = F.K != Finding::LeftAlone;
  OS << "<tr class=\"finding " << kindClass(F.K) << "\" id=\"finding-" << Id
     << "\" data-id=\"" << Id << "\" data-kind=\"" << kindClass(F.K)
     << "\"><td><span class=\"status\">" << kindName(F.K)
     << "</span></td><td class=\"where\">" << html(F.File) << ":" << F.Line
     << ":" << F.Column << "</td><td class=\"function\">" << html(F.Function)
     << "</td><td>" << html(F.Confidence) << "</td><td class=\"text\">"
     << html(F.Text);
  if (F.K == Finding::NotConverted)
    OS << "<div class=\"dropped\">not converted: " << html(F.Dropped)
       << "</div>";
  // The reason as the table of reasons counts it, when that differs.
  if (F.K == Finding::LeftAlone && F.reason() != F.Text)
    OS << "<div class=\"kind-of-reason\">counted as: " << html(F.reason())
       << "</div>";
  OS << "</td><td>";
  if (Chain)
    OS << "<button type=\"button\" class=\"show-diff\" aria-expanded=\"false\" "
          "data-id=\""
       << Id << "\">Before / after</button>";
  OS << "</td></tr>\n";
}

void writeFindings(llvm::raw_ostream &OS, const ReportModel &M) {
  OS << "<section id=\"findings\">\n<h2>Findings</h2>\n"
     << "<div class=\"controls\">\n<input type=\"search\" id=\"search\" "
        "placeholder=\"Filter by file, function, reason...\" "
        "aria-label=\"Filter the findings\" autocomplete=\"off\">\n"
     << "<select id=\"status\" aria-label=\"Status\">"
     << "<option value=\"\">every status</option>";
  for (Finding::Kind K :
       {Finding::Converted, Finding::NotConverted, Finding::LeftAlone})
    OS << "<option value=\"" << kindClass(K) << "\">" << kindName(K)
       << "</option>";
  OS << "</select>\n<span id=\"shown\">" << M.Findings.size() << " of "
     << M.Findings.size() << " shown</span>\n</div>\n"
     << "<table id=\"findings-table\">\n<thead><tr><th>Status</th>"
     << "<th>Where</th><th>Function</th><th>Confidence</th><th>What</th>"
     << "<th></th></tr></thead>\n<tbody>\n";
  for (size_t I = 0; I < M.Findings.size(); ++I)
    writeFindingRow(OS, M.Findings[I], I);
  OS << "</tbody>\n</table>\n<p id=\"no-match\" hidden>No finding matches "
        "the filter.</p>\n</section>\n";
}

void writeList(llvm::raw_ostream &OS, llvm::StringRef Id, llvm::StringRef Title,
               llvm::ArrayRef<std::string> Items) {
  if (Items.empty())
    return;
  OS << "<section id=\"" << Id << "\">\n<h2>" << Title << "</h2>\n<ul>\n";
  for (const std::string &I : Items)
    OS << "<li>" << html(I) << "</li>\n";
  OS << "</ul>\n</section>\n";
}

/// What report.js needs: each chain's hunks, by the id of its row.
llvm::json::Value pageData(const ReportModel &M) {
  llvm::json::Object Chains;
  for (size_t I = 0; I < M.Findings.size(); ++I) {
    const Finding &F = M.Findings[I];
    if (F.K == Finding::LeftAlone)
      continue;
    llvm::json::Array Hunks;
    for (const RewriteHunk &H : F.Hunks)
      Hunks.push_back(llvm::json::Object{{"file", H.File},
                                         {"line", H.Line},
                                         {"before", H.Before},
                                         {"after", H.After}});
    Chains[std::to_string(I)] =
        llvm::json::Object{{"where", F.File + ":" + std::to_string(F.Line)},
                           {"function", F.Function},
                           {"hunks", std::move(Hunks)},
                           {"noPreview", F.NoPreview}};
  }
  return llvm::json::Object{{"version", 1}, {"chains", std::move(Chains)}};
}

llvm::Error writeFile(llvm::StringRef Dir, llvm::StringRef Name,
                      llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, Name);
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (!EC) {
    Write(OS);
    OS.close();
    EC = OS.error();
  }
  if (EC)
    return llvm::createStringError(EC, "cannot write %s: %s", Path.c_str(),
                                   EC.message().c_str());
  return llvm::Error::success();
}

} // namespace

llvm::Error writeReportPage(llvm::StringRef Dir, const ReportModel &M) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
    return llvm::createStringError(EC, "cannot make the folder %s: %s",
                                   Dir.str().c_str(), EC.message().c_str());
  if (llvm::Error E = writeFile(Dir, "report.js",
                                [](llvm::raw_ostream &OS) { OS << ReportJs; }))
    return E;
  if (llvm::Error E = writeFile(Dir, "report.css",
                                [](llvm::raw_ostream &OS) { OS << ReportCss; }))
    return E;
  return writeFile(Dir, "index.html", [&](llvm::raw_ostream &OS) {
    writeHead(OS, M);
    writeList(OS, "errors", "Errors", M.Errors);
    writeFolders(OS, M);
    writeReasons(OS, M);
    writeFindings(OS, M);
    writeList(OS, "notes", "What the build needs", M.Notes);
    OS << "</main>\n<script type=\"application/json\" id=\"report-data\">"
       << scriptJson(pageData(M)) << "</script>\n"
       << "<script src=\"report.js\"></script>\n</body>\n</html>\n";
  });
}

} // namespace awaitify::cli
