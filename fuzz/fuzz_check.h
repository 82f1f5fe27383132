// What every fuzz target uses to state a contract: a broken one stops the run with a trap,
// which libFuzzer reports as a crash and saves the input of (and a corpus replay fails on).
#pragma once

inline void Check(bool ok) {
  if (!ok) __builtin_trap();
}
