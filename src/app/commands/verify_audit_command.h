#pragma once
// `fraudgov verify-audit --export F [--export F ...] --checkpoint C (--public-key PEM | --key-set
// JSON) [--environment E]`: the audit chain verified offline (issue 11 item 5), from
//   * the export: NDJSON lines of GET /api/v1/audit-log/export (domain::auditExportLine), oldest
//     first; several --export files are read in the order given (export pages);
//   * the checkpoint: a signed checkpoint document, e.g. audit-checkpoints/latest.json from the
//     artifact store;
//   * the pinned key(s): a PEM, or the key set keys/audit-keys.json.
// Exit 0 with "OK audit chain: <n> rows, head <seq>, checkpoint <seq> (<kid>)" on stdout; exit 1
// with "FAIL <reason>: <detail>" on stderr, reason one of truncated, rewritten, forged, broken,
// malformed_export; exit 2 for usage and I/O.

#include <CLI/App.hpp>
#include <functional>

namespace fraudgov::app::commands {

void addVerifyAuditCommand(CLI::App& cli, std::function<int()>& run);

}  // namespace fraudgov::app::commands
