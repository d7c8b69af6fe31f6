#pragma once
// `fraudgov evaluate --manifest M --artifact A (--public-key PEM | --key-set JSON)
// --transactions T.jsonl [--environment E] [--min-sequence N] [--fields FIELDS.json]` (SPEC §2):
// verifies exactly as verify-artifact (nothing unverified is ever evaluated), loads the artifact
// bound to the manifest's checksum under the field catalog (the 26 standard fields, or --fields),
// then prints one compact compiler::decisionLine per transaction line.
// Exit 1: refused verification, an artifact that does not load, or a malformed transaction line
// (named by its 1-based number); 2: usage and I/O.

#include <CLI/App.hpp>
#include <functional>

namespace fraudgov::app::commands {

void addEvaluateCommand(CLI::App& cli, std::function<int()>& run);

}  // namespace fraudgov::app::commands
