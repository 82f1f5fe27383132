// Downloads of output files: content types, ranges, the download key, report.html in a
// browser.
#include "server/api_fixture.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class FilesTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    view_ = ExportAndWait({{"inputs", {"qa.jsonl"}}, {"format", "openai"}, {"map", {"user=question", "assistant=answer"}}});
    ASSERT_EQ(view_["status"], "succeeded");
    id_ = view_["id"];
  }
  std::string FileUrl(const std::string& name) const {
    for (const json& f : view_["files"]) {
      if (f["name"] == name) return f["url"];
    }
    return "";
  }
  json view_;
  std::string id_;
};

TEST_F(FilesTest, DownloadsWithTypesAndRanges) {
  const std::string expected = ReadFile(OutputDir(id_) / "train.jsonl");
  httplib::Result whole = client_->Get(("/api/v1/exports/" + id_ + "/files/train.jsonl").c_str());
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body, expected);
  EXPECT_THAT(whole->get_header_value("Content-Type"), HasSubstr("application/jsonl"));
  EXPECT_THAT(whole->get_header_value("Content-Disposition"), HasSubstr("attachment; filename=\"train.jsonl\""));
  // The listed size and hash describe the file.
  for (const json& f : view_["files"]) {
    if (f["name"] == "train.jsonl") {
      EXPECT_EQ(f["bytes"], expected.size());
    }
  }

  httplib::Result part = client_->Get(("/api/v1/exports/" + id_ + "/files/train.jsonl").c_str(),
                                      {{"Range", "bytes=10-29"}});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, expected.substr(10, 20));
  EXPECT_EQ(part->get_header_value("Content-Range"), "bytes 10-29/" + std::to_string(expected.size()));
  httplib::Result tail = client_->Get(("/api/v1/exports/" + id_ + "/files/train.jsonl").c_str(), {{"Range", "bytes=-5"}});
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->body, expected.substr(expected.size() - 5));
  httplib::Result beyond = client_->Get(("/api/v1/exports/" + id_ + "/files/train.jsonl").c_str(),
                                        {{"Range", "bytes=999999999-"}});
  ASSERT_TRUE(beyond);
  EXPECT_EQ(beyond->status, 416);

  httplib::Result manifest = client_->Get(("/api/v1/exports/" + id_ + "/files/manifest.json").c_str());
  ASSERT_TRUE(manifest);
  EXPECT_THAT(manifest->get_header_value("Content-Type"), HasSubstr("application/json"));
}

TEST_F(FilesTest, TheReportOpensInABrowserWithTheDownloadKey) {
  const std::string url = FileUrl("report.html");
  ASSERT_THAT(url, HasSubstr("?key="));
  auto browser = server_->Client("");  // no token: a link clicked in the page
  httplib::Result report = browser->Get(url.c_str());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 200);
  EXPECT_THAT(report->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(report->get_header_value("Content-Disposition"), HasSubstr("inline"));
  EXPECT_THAT(report->get_header_value("Content-Security-Policy"), HasSubstr("sandbox"));
  EXPECT_EQ(report->body, ReadFile(OutputDir(id_) / "report.html"));
  // The key opens this export's files and events, nothing else.
  const std::string key = url.substr(url.find("?key=") + 5);
  EXPECT_EQ(browser->Get(("/api/v1/exports/" + id_ + "/events?after=0&key=" + key).c_str())->status, 200);
  EXPECT_EQ(browser->Get(("/api/v1/exports/" + id_ + "?key=" + key).c_str())->status, 401);
  EXPECT_EQ(browser->Get(("/api/v1/exports/" + id_ + "/files/report.html?key=wrong").c_str())->status, 401);
  EXPECT_EQ(browser->Get(("/api/v1/exports/" + id_ + "/files/report.html").c_str())->status, 401);
}

TEST_F(FilesTest, OnlyTheOutputFilesAreServed) {
  EXPECT_EQ(Get("/api/v1/exports/" + id_ + "/files/nothing.jsonl").status, 404);
  EXPECT_EQ(Get("/api/v1/exports/" + id_ + "/files/..%2Fjob.json").status, 404);
  EXPECT_EQ(Get("/api/v1/exports/" + id_ + "/files/.tunepack-partial").status, 404);
  std::filesystem::create_symlink("/etc/hostname", OutputDir(id_) / "link.txt");
  EXPECT_EQ(Get("/api/v1/exports/" + id_ + "/files/link.txt").status, 404);
  EXPECT_EQ(Get("/api/v1/exports/ex_0000000000000000/files/train.jsonl").status, 404);
}

}  // namespace
}  // namespace tunepack::testing
