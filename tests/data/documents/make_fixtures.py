#!/usr/bin/env python3
"""Writes the hand-made package fixtures of this folder (the reader features LibreOffice
does not produce: tracked changes, mc:AlternateContent, text boxes, comments, localised
style IDs; EPUB spine order, nav, a mimetype member that is not first; PPTX slide order;
and hostile packages). sample.docx / sample.odt were converted from sample.html (lists.odt
from lists.html) with
LibreOffice 7.4:  soffice --headless --infilter="HTML (StarWriter)" --convert-to odt sample.html
then  soffice --headless --convert-to docx sample.odt.  Run from this folder; deterministic.

The cross-format quality corpus (quality/): manual.html is the source; manual.odt was made
from it as sample.odt was, and manual.docx and manual.pdf from manual.odt
(soffice --headless --convert-to docx|pdf manual.odt). manual.epub is written below, one
chapter per h2 section of manual.html: LibreOffice 7.4's EPUB export writes every heading
and list item as a styled <p>, which no EPUB reader can tell from a paragraph."""
import re
import zipfile

STAMP = (2026, 1, 1, 0, 0, 0)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
WPS = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'


def write(name, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(name, "w") as z:
        for member, data in members:
            info = zipfile.ZipInfo(member, STAMP)
            info.compress_type = zipfile.ZIP_STORED if member == "mimetype" else compression
            z.writestr(info, data)


RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '</Relationships>')
TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
CORE = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        '<dc:title>{title}</dc:title><dc:creator>Ada Writer</dc:creator>'
        '<dcterms:created>2025-03-01T10:00:00Z</dcterms:created><dcterms:modified>2025-04-02T11:30:00Z</dcterms:modified>'
        '</cp:coreProperties>')
# Style IDs as a German Word writes them: the name, not the ID, says "heading 1".
STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles {W}>'
          '<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="MeineUeberschrift"><w:name w:val="Custom"/><w:basedOn w:val="berschrift2"/></w:style>'
          '</w:styles>')
NUMBERING = (f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>'
             '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
             '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>'
             '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
             '</w:numbering>')


def p(inner, style=None, num=None):
    ppr = ""
    if style or num:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr += "</w:pPr>"
    return f"<w:p>{ppr}{inner}</w:p>"


def r(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


BODY = "".join([
    p(r("Features of the reader"), "Titel"),
    p(r("Plain paragraph with a ") + f'<w:hyperlink r:id="rId9">{r("hyperlink")}</w:hyperlink>' + r(" inside.")),
    p(r("Changes: kept") + f'<w:ins w:id="1" w:author="A">{r(" inserted")}</w:ins>'
      + '<w:del w:id="2" w:author="A"><w:r><w:delText> deleted</w:delText></w:r></w:del>' + r(" end.")),
    p(r("A field: ") + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x" </w:instrText></w:r>'
      + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("shown result") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    p(r("Commented") + '<w:commentRangeStart w:id="0"/>' + r(" words") + '<w:commentRangeEnd w:id="0"/>'
      + '<w:r><w:commentReference w:id="0"/></w:r>'),
    p(r("Heading by localised style"), "berschrift1"),
    p(r("A sentence with a footnote") + '<w:r><w:footnoteReference w:id="2"/></w:r>' + r(" and an endnote")
      + '<w:r><w:endnoteReference w:id="3"/></w:r>' + r(".")),
    p(r("Heading through basedOn"), "MeineUeberschrift"),
    p(r("Shape: ") + f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
      + p(r("Text box words")) + '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>'
      + p(r("Text box words")) + '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>'),
    p(r("First step"), num=(1, 0)),
    p(r("A detail"), num=(1, 1)),
    p(r("Second step"), num=(1, 0)),
    p(r("A bullet of another list"), num=(2, 0)),
    '<w:tbl><w:tr><w:tc>' + p(r("Name")) + '</w:tc><w:tc>' + p(r("Value")) + '</w:tc></w:tr>'
    '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>' + p(r("spans two")) + '</w:tc></w:tr>'
    '<w:tr><w:tc>' + p(r("a|b")) + '</w:tc><w:tc>' + p(r("line one")) + p(r("line two")) + '</w:tc></w:tr></w:tbl>',
    p(r("Last paragraph.")),
    '<w:sectPr/>',
])
DOCUMENT = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W} {R} {MC} {WPS} {V} mc:Ignorable="wps"><w:body>{BODY}</w:body></w:document>'
NOTES = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>'
         '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
         '<w:footnote w:id="2">' + p('<w:r><w:footnoteRef/></w:r>' + r(" The footnote text.")) + '</w:footnote></w:footnotes>')
ENDNOTES = (f'<?xml version="1.0" encoding="UTF-8"?><w:endnotes {W}>'
            '<w:endnote w:id="3">' + p('<w:r><w:endnoteRef/></w:r>' + r(" The endnote text.")) + '</w:endnote></w:endnotes>')
COMMENTS = f'<?xml version="1.0" encoding="UTF-8"?><w:comments {W}><w:comment w:id="0">' + p(r("SECRET REVIEW COMMENT")) + '</w:comment></w:comments>'

write("features.docx", [
    ("[Content_Types].xml", TYPES), ("_rels/.rels", RELS), ("docProps/core.xml", CORE.format(title="Reader features")),
    ("word/styles.xml", STYLES), ("word/numbering.xml", NUMBERING), ("word/footnotes.xml", NOTES),
    ("word/endnotes.xml", ENDNOTES), ("word/comments.xml", COMMENTS), ("word/document.xml", DOCUMENT),
])

# Running headers and footers: two sections, the first with its own first-page header, both
# with the same default header and footer (which must come out once, as metadata, and never
# in the body). The footer's page number is a field; the first-page header has a table.
def part(root, inner):
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {W} {R}>{inner}</w:{root}>'


HEADER_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
               '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>'
               '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
               '<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header3.xml"/>'
               '</Relationships>')
SECTION_REFS = ('<w:headerReference w:type="default" r:id="rId7"/><w:footerReference w:type="default" r:id="rId9"/>')
HEADERS_BODY = "".join([
    p(r("Annual report"), "Heading1"),
    p(r("The first section talks about herons.")),
    f'<w:p><w:pPr><w:sectPr>{SECTION_REFS}<w:headerReference w:type="first" r:id="rId8"/><w:titlePg/></w:sectPr></w:pPr>'
    + r("End of the first section.") + '</w:p>',
    p(r("The second section talks about storks.")),
    f'<w:sectPr>{SECTION_REFS}<w:headerReference w:type="even" r:id="rId10"/></w:sectPr>',
])
write("headers.docx", [
    ("[Content_Types].xml", TYPES), ("_rels/.rels", RELS),
    ("word/_rels/document.xml.rels", HEADER_RELS),
    ("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W} {R}><w:body>{HEADERS_BODY}</w:body></w:document>'),
    ("word/header1.xml", part("hdr", p(r("ACME Corp ") + r("— Confidential")))),
    ("word/header2.xml", part("hdr", '<w:tbl><w:tr><w:tc>' + p(r("Annual report 2025")) + '</w:tc><w:tc>'
                              + p(r("Draft")) + '</w:tc></w:tr></w:tbl>' + p(""))),
    ("word/footer1.xml", part("ftr", p(r("Page ") + '<w:fldSimple w:instr=" PAGE ">' + r("1") + '</w:fldSimple>'))),
    ("word/header3.xml", part("hdr", p(""))),  # an empty even-page header: nothing to keep
])

# The same for ODT: headers and footers live in styles.xml's master pages, never in
# content.xml. The left-page header repeats the default one; a switched-off footer is not
# shown, so it is not kept.
ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
ODT_CONTENT = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} office:version="1.3"><office:body><office:text>'
               '<text:h text:outline-level="1">Annual report</text:h><text:p>The body talks about herons.</text:p>'
               '</office:text></office:body></office:document-content>')
ODT_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS} office:version="1.3"><office:master-styles>'
              '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
              '<style:header><text:p>ACME Corp — Confidential</text:p></style:header>'
              '<style:header-left><text:p>ACME Corp — Confidential</text:p></style:header-left>'
              '<style:footer><text:p>Page <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>'
              '</style:master-page>'
              '<style:master-page style:name="Title" style:page-layout-name="pm2">'
              '<style:header><style:region-left><text:p>Annual report 2025</text:p></style:region-left>'
              '<style:region-right><text:p>Draft</text:p></style:region-right></style:header>'
              '<style:footer style:display="false"><text:p>Hidden footer</text:p></style:footer>'
              '</style:master-page></office:master-styles></office:document-styles>')
write("headers.odt", [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", ODT_CONTENT),
                      ("styles.xml", ODT_STYLES)])

# XXE: an external entity naming a local file, and a parameter entity naming a URL; the
# reader must neither read the file nor fetch the URL.
XXE_DOC = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
           f'<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
           f'<w:document {W}><w:body>' + p(r("Before &xxe; after")) + '</w:body></w:document>')
write("xxe.docx", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS), ("word/document.xml", XXE_DOC)])

# A ZIP bomb: 40 MB of one character in document.xml, deflated to about 40 KB.
BOMB_DOC = f'<w:document {W}><w:body><w:p><w:r><w:t>' + "a" * (40 << 20) + '</w:t></w:r></w:p></w:body></w:document>'
write("bomb.docx", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS), ("word/document.xml", BOMB_DOC)])

# Malformed XML in the main part.
write("malformed.docx", [("[Content_Types].xml", TYPES), ("_rels/.rels", RELS),
                         ("word/document.xml", f'<w:document {W}><w:body><w:p><w:r><w:t>unclosed</w:r></w:body>')])

# EPUB: container first, mimetype later; the spine lists chapter two's file first; the nav
# document is in the spine (EPUB 3 allows it) and must not be rendered; one spine item
# climbs out of the package and one ZIP member is named with "..".
OPF = ('<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
       '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">book-1</dc:identifier>'
       '<dc:title>Marsh Birds</dc:title><dc:creator>B. Watcher</dc:creator><dc:language>en</dc:language><dc:date>2024-05-01</dc:date></metadata>'
       '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
       '<item id="c1" href="text/ch%201.xhtml" media-type="application/xhtml+xml"/>'
       '<item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>'
       '<item id="evil" href="../../evil.xhtml" media-type="application/xhtml+xml"/>'
       '<item id="css" href="style.css" media-type="text/css"/></manifest>'
       '<spine><itemref idref="nav"/><itemref idref="c2"/><itemref idref="evil"/><itemref idref="c1"/></spine></package>')
CONTAINER = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
             '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>')


def xhtml(title, body):
    return (f'<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f'<head><title>{title}</title></head><body>{body}</body></html>')


write("book.epub", [
    ("META-INF/container.xml", CONTAINER),
    ("mimetype", "application/epub+zip"),
    ("OEBPS/content.opf", OPF),
    ("OEBPS/nav.xhtml", xhtml("Contents", '<nav epub:type="toc"><h1>Contents</h1><ol><li><a href="text/ch2.xhtml">Waders</a></li>'
                                          '<li><a href="text/ch%201.xhtml">Songbirds</a></li></ol></nav>')),
    ("OEBPS/text/ch2.xhtml", xhtml("Waders", '<h1>Waders</h1><p>Waders walk in water.</p><ul><li>Heron</li><li>Stork</li></ul>')),
    ("OEBPS/text/ch 1.xhtml", xhtml("Songbirds", '<h1>Songbirds</h1><h2>Finches</h2><p>Finches eat seeds.</p>')),
    ("OEBPS/style.css", "p { margin: 0 }"),
    ("../evil.xhtml", xhtml("Evil", "<p>ESCAPED THE PACKAGE</p>")),
])

# PPTX: p:sldIdLst puts slide2.xml first.
P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
PRES = (f'<?xml version="1.0" encoding="UTF-8"?><p:presentation {P} {R} {A}><p:sldIdLst>'
        '<p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>')
PRES_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/>'
             '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide2.xml"/>'
             '</Relationships>')


def shape(placeholder, paragraphs):
    ph = f'<p:ph type="{placeholder}"/>' if placeholder is not None else ""
    ph = f"<p:ph/>" if placeholder == "" else ph
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="1" name="s"/><p:cNvSpPr/><p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:txBody>'
            + "".join(paragraphs) + '</p:txBody></p:sp>')


def ap(text, level=None):
    ppr = f'<a:pPr lvl="{level}"/>' if level is not None else ""
    return f"<a:p>{ppr}<a:r><a:t>{text}</a:t></a:r></a:p>"


def slide(tree):
    return f'<?xml version="1.0" encoding="UTF-8"?><p:sld {P} {A} {R}><p:cSld><p:spTree>{tree}</p:spTree></p:cSld></p:sld>'


TABLE = ('<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody>' + ap("Bird") + '</a:txBody></a:tc>'
         '<a:tc><a:txBody>' + ap("Seen") + '</a:txBody></a:tc></a:tr><a:tr><a:tc><a:txBody>' + ap("Heron")
         + '</a:txBody></a:tc><a:tc><a:txBody>' + ap("yes") + '</a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>')
# Speaker notes of the opening slide (slide2.xml): the notes slide's body placeholder is the
# text; its slide image and slide number placeholders are not.
SLIDE2_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide" Target="../notesSlides/notesSlide1.xml"/>'
               '</Relationships>')
NOTES = (f'<?xml version="1.0" encoding="UTF-8"?><p:notes {P} {A} {R}><p:cSld><p:spTree>'
         + shape("sldImg", []) + shape("body", [ap("Welcome everyone."), ap("Mention the herons.")])
         + shape("sldNum", [ap("2")]) + '</p:spTree></p:cSld></p:notes>')
write("slides.pptx", [
    ("[Content_Types].xml", TYPES),
    ("ppt/presentation.xml", PRES),
    ("ppt/_rels/presentation.xml.rels", PRES_RELS),
    ("ppt/slides/_rels/slide2.xml.rels", SLIDE2_RELS),
    ("ppt/notesSlides/notesSlide1.xml", NOTES),
    ("ppt/slides/slide1.xml", slide(shape("title", [ap("Second slide")]) + TABLE)),
    ("ppt/slides/slide2.xml", slide(shape("ctrTitle", [ap("Opening")]) + shape("", [ap("First point"), ap("Sub point", 1)])
                                    + shape(None, [ap("A free text box.")]))),
    ("docProps/core.xml", CORE.format(title="Talk")),
])


# The quality corpus's EPUB: manual.html split before each <h2> into spine-ordered chapters
# (file names in reverse, so that only the spine gives the order).
SOURCE = open("quality/manual.html", encoding="utf-8").read()
BODY_HTML = re.search(r"<body>\n(.*)</body>", SOURCE, re.S).group(1)
CHAPTERS = re.split(r"(?=<h2>)", BODY_HTML)
NAMES = [f"text/part{len(CHAPTERS) - i}.xhtml" for i in range(len(CHAPTERS))]
MANUAL_OPF = ('<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
              '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">marsh-handbook</dc:identifier>'
              '<dc:title>Marsh Station Handbook</dc:title><dc:language>en</dc:language></metadata><manifest>'
              + "".join(f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(NAMES))
              + '</manifest><spine>' + "".join(f'<itemref idref="c{i}"/>' for i in range(len(NAMES))) + '</spine></package>')
write("quality/manual.epub", [("mimetype", "application/epub+zip"), ("META-INF/container.xml", CONTAINER),
                              ("OEBPS/content.opf", MANUAL_OPF)]
      + [("OEBPS/" + name, xhtml("Marsh Station Handbook", chapter)) for name, chapter in zip(NAMES, CHAPTERS)])

