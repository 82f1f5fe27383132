// Export jobs: validation before a job exists, CLI byte identity, list, cancel, resume,
// delete.
#include "server/api_fixture.h"
#include "tp_test_paths.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class ExportsTest : public ApiTest {};

const json kMap = {"user=question", "assistant=answer"};

TEST_F(ExportsTest, WritesTheBytesTheCliWrites) {
  const json view = ExportAndWait({{"inputs", {"qa.jsonl"}},
                                   {"format", "openai"},
                                   {"map", kMap},
                                   {"split", "train=0.8,validation=0.2"},
                                   {"dedup", "exact"},
                                   {"tokenizer", "cl100k_base"}});
  ASSERT_EQ(view["status"], "succeeded") << view.dump();
  EXPECT_EQ(view["counts"]["inputs"], 40);
  EXPECT_FALSE(view["finished_at"].is_null());
  // Every output file is listed with its size, hash and a URL.
  std::set<std::string> listed;
  for (const json& f : view["files"]) {
    listed.insert(f["name"]);
    EXPECT_TRUE(f["xxh3_128"].is_string()) << f.dump();
    EXPECT_THAT(f["url"].get<std::string>(), HasSubstr("/files/" + f["name"].get<std::string>()));
  }
  EXPECT_TRUE(listed.count("manifest.json") && listed.count("train.jsonl") && listed.count("validation.jsonl") &&
              listed.count("report.html") && listed.count("rejected.jsonl"));

  const std::filesystem::path cli = tmp_ / "cli";
  ASSERT_EQ(Cli(Quote((root_ / "qa.jsonl").string()) + " -o " + Quote(cli.string()) +
                " --format openai --map user=question --map assistant=answer --split train=0.8,validation=0.2 "
                "--dedup exact --tokenizer cl100k_base"),
            0);
  ExpectSameFolders(cli, OutputDir(view["id"]));
}

TEST_F(ExportsTest, DocumentsAndTheirLedgerAreTheBytesTheCliWrites) {
  // Every document reader (Office, EPUB, PDF through its helper, compressed text) and the
  // ledger details that name an option: the API's output folder is the CLI's, byte for byte.
  const std::filesystem::path docs = root_ / "docs";
  std::filesystem::create_directories(docs);
  const std::filesystem::path data(TP_SOURCE_DIR "/tests/data");
  for (const char* name : {"sample.docx", "book.epub", "sample.odt", "slides.pptx", "malformed.docx", "xxe.docx"}) {
    std::filesystem::copy_file(data / "documents" / name, docs / name);
  }
  for (const char* name : {"handbook.pdf", "two_column.pdf", "scanned.pdf", "encrypted.pdf", "damaged.pdf"}) {
    std::filesystem::copy_file(data / "pdf" / name, docs / name);
  }
  WriteFile(docs / "notes.md", "# Notes\n\nPlain text in a Markdown file.\n");
  WriteFile(docs / "records.jsonl", "{\"text\": \"good\"}\n{\"text\": \"bad \xff byte\"}\n");
  WriteFile(docs / "readme.txt", "A short text document.\n");
  const json view = ExportAndWait({{"inputs", {"docs"}},
                                   {"format", "jsonl"},
                                   {"on_invalid_utf8", "fail"},
                                   {"tokenizer", "cl100k_base"},
                                   {"max_tokens", 200}});
  ASSERT_EQ(view["status"], "succeeded") << view.dump();
  const std::filesystem::path api = OutputDir(view["id"]);
  const std::string ledger = ReadFile(api / "rejected.jsonl");
  EXPECT_THAT(ledger, HasSubstr("(--on-invalid-utf8 fail)"));
  EXPECT_THAT(ledger, HasSubstr("\"no_text_layer\""));
  EXPECT_THAT(ledger, HasSubstr("\"encrypted_pdf\""));

  const std::filesystem::path cli = tmp_ / "cli";
  ASSERT_EQ(Cli(Quote(docs.string()) + " -o " + Quote(cli.string()) +
                " --format jsonl --on-invalid-utf8 fail --tokenizer cl100k_base --max-tokens 200"),
            1);  // finished, with rejections
  ExpectSameFolders(cli, api);
}

TEST_F(ExportsTest, InvalidOptionsAreRefusedBeforeAJobExists) {
  struct Case {
    json body;
    std::string option;
  };
  const std::vector<Case> cases = {
      {{{"inputs", {"qa.jsonl"}}, {"format", "no-such-format"}}, "format"},
      {{{"inputs", {"qa.jsonl"}}, {"max_tokens", "many"}}, "max_tokens"},
      {{{"inputs", {"qa.jsonl"}}, {"no_such_option", 1}}, "no_such_option"},
      {{{"inputs", {"qa.jsonl"}}, {"output", "/tmp/x"}}, "output"},
      {{{"inputs", {"qa.jsonl"}}, {"resume", true}}, "resume"},
      {{{"inputs", {"-"}}}, "inputs"},
      {{{"format", "openai"}}, "inputs"},
  };
  for (const Case& c : cases) {
    ApiReply refused = Post("/api/v1/exports", c.body);
    EXPECT_EQ(refused.status, 400) << c.body.dump() << " -> " << refused.text;
    EXPECT_EQ(refused.body["error"]["details"]["option"], c.option) << refused.text;
    // The message names options as JSON keys, not CLI flags.
    EXPECT_THAT(refused.body["error"]["message"].get<std::string>(), ::testing::Not(HasSubstr("--")))
        << refused.text;
  }
  EXPECT_EQ(Get("/api/v1/exports").body["exports"].size(), 0u);
  EXPECT_EQ(PostText("/api/v1/exports", "{\"inputs\": [").status, 400);
}

TEST_F(ExportsTest, ListsFiltersAndDeletes) {
  const json first = ExportAndWait({{"inputs", {"qa.jsonl"}}, {"format", "openai"}, {"map", kMap}});
  const json second = ExportAndWait({{"inputs", {"qa.jsonl"}}, {"format", "sharegpt"}, {"map", kMap}});
  ApiReply list = Get("/api/v1/exports");
  ASSERT_EQ(list.body["exports"].size(), 2u);
  EXPECT_EQ(list.body["exports"][0]["id"], second["id"]);  // newest first
  EXPECT_EQ(Get("/api/v1/exports?status=succeeded").body["exports"].size(), 2u);
  EXPECT_EQ(Get("/api/v1/exports?status=running").body["exports"].size(), 0u);
  EXPECT_EQ(Get("/api/v1/exports?status=bogus").status, 400);

  const std::string id = first["id"];
  EXPECT_EQ(Delete("/api/v1/exports/" + id).status, 204);
  EXPECT_FALSE(std::filesystem::exists(OutputDir(id)));
  EXPECT_EQ(Get("/api/v1/exports/" + id).status, 404);
  EXPECT_EQ(Delete("/api/v1/exports/" + id).status, 404);
  EXPECT_EQ(Post("/api/v1/exports/" + id + "/cancel", json::object()).status, 404);
  EXPECT_EQ(Post("/api/v1/exports/" + id + "/resume", json::object()).status, 404);
  // A finished export can be neither cancelled nor resumed.
  EXPECT_EQ(Post("/api/v1/exports/" + second["id"].get<std::string>() + "/cancel", json::object()).status, 409);
  EXPECT_EQ(Post("/api/v1/exports/" + second["id"].get<std::string>() + "/resume", json::object()).status, 409);
}

TEST_F(ExportsTest, CancelStopsWithinASecondAndResumeFinishesIdentically) {
  WriteFile(root_ / "big.jsonl", QaCorpus(200000));
  const json body = {{"inputs", {"big.jsonl"}}, {"format", "openai"}, {"map", kMap}, {"jobs", 1},
                     {"dedup", "exact"}};
  ApiReply created = Post("/api/v1/exports", body);
  ASSERT_EQ(created.status, 202) << created.text;
  const std::string id = created.body["id"];
  // Running, with some progress (so a checkpoint exists), then cancelled.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const json view = Get("/api/v1/exports/" + id).body;
    if (view["status"] == "running" && view["progress"]["written"].get<uint64_t>() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(Get("/api/v1/exports/" + id).body["status"], "running");
  // DELETE refuses a running export.
  EXPECT_EQ(Delete("/api/v1/exports/" + id).status, 409);
  const auto asked = std::chrono::steady_clock::now();
  ApiReply cancelled = Post("/api/v1/exports/" + id + "/cancel", json::object());
  const auto took = std::chrono::steady_clock::now() - asked;
  ASSERT_EQ(cancelled.status, 200) << cancelled.text;
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  EXPECT_EQ(cancelled.body["resumable"], true);
  EXPECT_LT(took, std::chrono::seconds(1));
  EXPECT_TRUE(std::filesystem::exists(OutputDir(id) / ".tunepack-partial" / "checkpoint.json"));

  ApiReply resumed = Post("/api/v1/exports/" + id + "/resume", json::object());
  ASSERT_EQ(resumed.status, 202) << resumed.text;
  const json done = WaitFor(id, {"succeeded", "failed"}, std::chrono::seconds(120));
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["runs"], 2);

  const std::filesystem::path cli = tmp_ / "cli";
  ASSERT_EQ(Cli(Quote((root_ / "big.jsonl").string()) + " -o " + Quote(cli.string()) +
                " --format openai --map user=question --map assistant=answer --dedup exact"),
            0);
  ExpectSameFolders(cli, OutputDir(id));
}

TEST_F(ExportsTest, AQueuedExportCanBeCancelled) {
  WriteFile(root_ / "big.jsonl", QaCorpus(200000));
  // One worker (the default): the second export waits.
  ApiReply first = Post("/api/v1/exports", {{"inputs", {"big.jsonl"}}, {"map", kMap}, {"format", "openai"}, {"dedup", "near"}});
  ApiReply second = Post("/api/v1/exports", {{"inputs", {"qa.jsonl"}}, {"map", kMap}, {"format", "openai"}});
  ASSERT_EQ(second.status, 202);
  EXPECT_EQ(second.body["status"], "queued");
  ApiReply cancelled = Post("/api/v1/exports/" + second.body["id"].get<std::string>() + "/cancel", json::object());
  EXPECT_EQ(cancelled.body["status"], "cancelled") << cancelled.text;
  EXPECT_EQ(Post("/api/v1/exports/" + first.body["id"].get<std::string>() + "/cancel", json::object()).status, 200);
}

}  // namespace
}  // namespace tunepack::testing
