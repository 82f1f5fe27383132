// Fuzzes the XML side of the package readers: the input (after a first byte that picks the
// reader and the part) becomes one member of an otherwise valid package, wrapped in a
// stored ZIP here, so mutations reach libxml2 and the readers' tree walks instead of
// failing the ZIP's CRC. Traps when document text is not valid UTF-8 or a block lies
// outside it.
#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tunepack/core/utf8.h"
#include "tunepack/ingest/document_reader.h"
#include "fuzz_check.h"

namespace {

using namespace tunepack;          // NOLINT: a fuzz target, not library code
using namespace tunepack::ingest;  // NOLINT

void Put(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// A ZIP with every member stored (method 0).
std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, central;
  for (const auto& [name, data] : members) {
    const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const uint32_t offset = static_cast<uint32_t>(out.size());
    out += "PK\x03\x04";
    Put(out, 20, 2); Put(out, 0, 2); Put(out, 0, 2); Put(out, 0, 4);
    Put(out, crc, 4); Put(out, static_cast<uint32_t>(data.size()), 4); Put(out, static_cast<uint32_t>(data.size()), 4);
    Put(out, static_cast<uint32_t>(name.size()), 2); Put(out, 0, 2);
    out += name;
    out += data;
    central += "PK\x01\x02";
    Put(central, 20, 2); Put(central, 20, 2); Put(central, 0, 2); Put(central, 0, 2); Put(central, 0, 4);
    Put(central, crc, 4); Put(central, static_cast<uint32_t>(data.size()), 4); Put(central, static_cast<uint32_t>(data.size()), 4);
    Put(central, static_cast<uint32_t>(name.size()), 2); Put(central, 0, 2); Put(central, 0, 2);
    Put(central, 0, 2); Put(central, 0, 2); Put(central, 0, 4); Put(central, offset, 4);
    central += name;
  }
  const uint32_t central_offset = static_cast<uint32_t>(out.size());
  out += central;
  out += "PK\x05\x06";
  Put(out, 0, 2); Put(out, 0, 2);
  Put(out, static_cast<uint32_t>(members.size()), 2); Put(out, static_cast<uint32_t>(members.size()), 2);
  Put(out, static_cast<uint32_t>(central.size()), 4); Put(out, central_offset, 4); Put(out, 0, 2);
  return out;
}

const std::string kContainer =
    "<container xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles>"
    "<rootfile full-path=\"content.opf\"/></rootfiles></container>";
const std::string kOpf =
    "<package xmlns=\"http://www.idpf.org/2007/opf\"><metadata/><manifest>"
    "<item id=\"c\" href=\"c.xhtml\" media-type=\"application/xhtml+xml\"/></manifest>"
    "<spine><itemref idref=\"c\"/></spine></package>";
const std::string kPresentation =
    "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><p:sldIdLst>"
    "<p:sldId r:id=\"rId1\"/></p:sldIdLst></p:presentation>";
const std::string kPresentationRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Target=\"slides/slide1.xml\"/></Relationships>";
const std::string kSlideRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide\" "
    "Target=\"../notesSlides/notesSlide1.xml\"/></Relationships>";

// A document whose section names a header and a footer (the fuzzed part is both).
const std::string kSectionedDocument =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>"
    "<w:sectPr><w:headerReference r:id=\"rId1\"/><w:footerReference r:id=\"rId2\"/></w:sectPr></w:body></w:document>";
const std::string kHeaderRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Target=\"header1.xml\"/><Relationship Id=\"rId2\" Target=\"footer1.xml\"/></Relationships>";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string part(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string reader_name;
  std::vector<std::pair<std::string, std::string>> members;
  switch (data[0] % 8) {
    case 0: reader_name = "docx"; members = {{"word/document.xml", part}}; break;
    case 1: reader_name = "docx"; members = {{"word/document.xml", kSectionedDocument}, {"word/_rels/document.xml.rels", kHeaderRels}, {"word/styles.xml", part}, {"word/numbering.xml", part}, {"docProps/core.xml", part}, {"word/header1.xml", part}, {"word/footer1.xml", part}}; break;
    case 2: reader_name = "odt"; members = {{"content.xml", part}, {"meta.xml", part}, {"styles.xml", part}}; break;
    case 3: reader_name = "pptx"; members = {{"ppt/presentation.xml", kPresentation}, {"ppt/_rels/presentation.xml.rels", kPresentationRels}, {"ppt/slides/slide1.xml", part}, {"ppt/slides/_rels/slide1.xml.rels", kSlideRels}, {"ppt/notesSlides/notesSlide1.xml", part}}; break;
    case 4: reader_name = "pptx"; members = {{"ppt/presentation.xml", part}}; break;
    case 5: reader_name = "epub"; members = {{"META-INF/container.xml", kContainer}, {"content.opf", part}, {"c.xhtml", part}}; break;
    case 6: reader_name = "epub"; members = {{"META-INF/container.xml", kContainer}, {"content.opf", kOpf}, {"c.xhtml", part}}; break;
    default: reader_name = "docx"; members = {{"_rels/.rels", part}, {"word/document.xml", part}}; break;
  }
  const DocumentReader* reader = BuiltinDocumentReaders().Find(reader_name);
  Check(reader != nullptr);
  const std::string zip = StoredZip(members);
  DocumentOptions options;
  options.speaker_notes = true;  // every part the readers can be asked to read
  Result<Document> doc = ReadDocument(*reader, zip, Origin{"fuzz", 0, 0}, options);
  if (!doc.has_value()) return 0;
  Check(IsValidUtf8(doc->text));
  size_t last_end = 0;
  for (const Block& block : doc->blocks) {
    Check(block.begin <= block.end && block.end <= doc->text.size() && block.begin >= last_end);
    last_end = block.end;
  }
  return 0;
}
