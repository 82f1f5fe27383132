// Exit codes of the tunepack binary (documented in `tunepack --help` and README).
#pragma once

namespace tunepack::cli {

inline constexpr int kExitOk = 0;        ///< success: every input was written or filtered as asked
inline constexpr int kExitRejected = 1;  ///< finished, but some inputs could not be used (see rejected.jsonl)
inline constexpr int kExitError = 2;     ///< usage error or fatal error: nothing or not everything done

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 success (every input written, or dropped by a filter you asked for: "
    "dedup, quality, language, decontamination, --on-overlong drop); 1 finished but some "
    "inputs could not be used (listed in rejected.jsonl or on stderr); 2 usage or fatal "
    "error (also the first unusable input under --strict).";

}  // namespace tunepack::cli
