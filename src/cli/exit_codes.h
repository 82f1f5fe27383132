// Exit codes of the tunepack binary (documented in `tunepack --help` and README).
#pragma once

namespace tunepack::cli {

inline constexpr int kExitOk = 0;        ///< success: every input was written
inline constexpr int kExitRejected = 1;  ///< finished, but some inputs were rejected (see rejected.jsonl)
inline constexpr int kExitError = 2;     ///< usage error or fatal error: nothing or not everything done

inline constexpr const char* kExitCodeHelp =
    "Exit codes: 0 success; 1 finished but some inputs were rejected (listed in "
    "rejected.jsonl or on stderr); 2 usage or fatal error (also the first bad input "
    "under --strict).";

}  // namespace tunepack::cli
