// tunepack: the library under the `tunepack` binary, for programs that embed it.
//
// Include this one header. Everything under include/tunepack/ is public API; everything
// under src/ is private to the library. Every call returns a Status or a Result<T>; no
// exception leaves the library. An error message may name options with marks that each
// front end spells its own way: show it with WordOptionRefs(status.ToString(), style).
//
// What is here, by task:
//   export or convert    pipeline::ExportOptionsFromJson(json, options::kExport or kConvert)
//                        builds validated options from the declared option schema (the JSON
//                        names `tunepack options --json-schema` prints); pipeline::RunExport
//                        runs it, publishing typed events to a pipeline::EventSubscriber and
//                        stopping (resumably) when its pipeline::CancelToken is cancelled.
//                        pipeline::MakeProgressSink gives the CLI's bar or JSON-lines output.
//   tokenize             tokenize::LoadTokenizer(spec) (a built-in name such as cl100k_base,
//                        or a tokenizer.json / .model / .tiktoken path); Tokenizer::Encode,
//                        Count, Decode; tokenize::EncodeBatch, CountBatch, DecodeBatch on
//                        several threads.
//   chat templates       jinja::ChatTemplate::LoadFromDirectory(model folder), Render(inputs);
//                        jinja::ParseJson turns JSON messages into template values;
//                        jinja::Template renders any Jinja2 template.
//   validate             report::ValidateFile(path, format or null, options, on_problem).
//   read datasets        report::ReadExportFolder(dir) lists an export's data files, splits,
//                        format and ledger; report::ReadDataset(path, format or null, visitor)
//                        reads any dataset file one example at a time;
//                        report::ComputeFileStats gives the statistics `tunepack stats` prints.
//   formats              format::FindFormat(name), format::BuiltinFormats().
//
// How to embed (examples/embed/ is a complete program):
//   cmake --install build --prefix /opt/tunepack
//   # CMakeLists.txt of the program:
//   #   find_package(tunepack CONFIG REQUIRED)        # -DCMAKE_PREFIX_PATH=/opt/tunepack
//   #   target_link_libraries(my_program PRIVATE tunepack::tunepack)
//
//   #include "tunepack/tunepack.h"
//   namespace tp = tunepack;
//
//   class PrintProgress : public tp::pipeline::EventSubscriber {
//    public:
//     void OnEvent(const tp::pipeline::Event& event) override {
//       std::puts(tp::pipeline::EventJson(event).c_str());
//     }
//   };
//
//   tp::Status Run() {
//     TP_ASSIGN_OR_RETURN(auto tokenizer, tp::tokenize::LoadTokenizer("cl100k_base"));
//     TP_ASSIGN_OR_RETURN(size_t tokens, tokenizer->Count("hello world", {}));  // 2
//     TP_ASSIGN_OR_RETURN(tp::pipeline::ExportOptions options,
//                         tp::pipeline::ExportOptionsFromJson(
//                             R"({"inputs": ["qa.jsonl"], "output": "out", "format": "openai"})"));
//     PrintProgress progress;
//     tp::pipeline::CancelToken cancel;  // cancel.Cancel() from another thread stops the run
//     TP_ASSIGN_OR_RETURN(tp::pipeline::ExportSummary summary,
//                         tp::pipeline::RunExport(options, progress, &cancel));
//     return tp::Status::Ok();  // summary.written examples, summary.rejected in rejected.jsonl
//   }
#pragma once

#include "tunepack/version.h"

#include "tunepack/core/option_ref.h"
#include "tunepack/core/result.h"
#include "tunepack/core/status.h"

#include "tunepack/pipeline/events.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"
#include "tunepack/pipeline/progress.h"

#include "tunepack/tokenize/batch.h"
#include "tunepack/tokenize/tokenizer.h"

#include "tunepack/template/chat_template.h"
#include "tunepack/template/template.h"
#include "tunepack/template/value.h"

#include "tunepack/format/format.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/dataset_stats.h"
#include "tunepack/report/file_stats.h"
#include "tunepack/report/validate.h"
