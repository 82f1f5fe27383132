"""Writes table.fodt (two_column.fodt's styles): a page with a ruled table between two
paragraphs, a right-aligned number column and a cell that wraps onto a second line, and a
borderless aligned list of options (also a table) before a closing paragraph."""
import html
src = open("two_column.fodt").read()
head = src[:src.index("<office:body>")]
head = head.replace("Tunepack Test Manual — draft edition", "Table fixture")
head = head.replace('<office:document ', '<office:document xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ', 1)
head = head.replace('</office:automatic-styles>', '''<style:style style:name="T1" style:family="table"><style:table-properties style:width="11cm" table:align="left"/></style:style>
<style:style style:name="T1.A" style:family="table-column"><style:table-column-properties style:column-width="2.4cm"/></style:style>
<style:style style:name="T1.B" style:family="table-column"><style:table-column-properties style:column-width="2cm"/></style:style>
<style:style style:name="T1.C" style:family="table-column"><style:table-column-properties style:column-width="2cm"/></style:style>
<style:style style:name="T1.D" style:family="table-column"><style:table-column-properties style:column-width="4.6cm"/></style:style>
<style:style style:name="Ruled" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>
<style:style style:name="Plain" style:family="table-cell"><style:table-cell-properties fo:padding="0.05cm" fo:border="none"/></style:style>
<style:style style:name="Num" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="end"/></style:style>
<style:style style:name="HeadCell" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>''')
E = html.escape
def P(t): return '<text:p text:style-name="Body">%s</text:p>' % E(t)
def H(l, t): return '<text:h text:style-name="H%d" text:outline-level="%d">%s</text:h>' % (l, l, E(t))
def cell(t, style, para="Standard"):
    return '<table:table-cell table:style-name="%s" office:value-type="string"><text:p text:style-name="%s">%s</text:p></table:table-cell>' % (style, para, E(t))
def table(name, widths, header, rows, style, numeric=()):
    out = '<table:table table:name="%s" table:style-name="T1">' % name
    out += "".join('<table:table-column table:style-name="T1.%s"/>' % w for w in widths)
    if header:
        out += '<table:table-header-rows><table:table-row>' + "".join(cell(h, style, "HeadCell") for h in header) + '</table:table-row></table:table-header-rows>'
    for row in rows:
        out += '<table:table-row>' + "".join(cell(c, style, "Num" if i in numeric else "Standard") for i, c in enumerate(row)) + '</table:table-row>'
    return out + '</table:table>'
body = [
    H(1, "Export formats"),
    P("The table below lists the formats an export can write, with the records and the size of one sample run. Every figure was measured on the same corpus."),
    table("Formats", "ABCD", ["Format", "Records", "Size (MB)", "Notes"], [
        ["openai", "12,480", "41.2", "chat messages"],
        ["sharegpt", "12,480", "39.8", "conversations with roles renamed for older trainers"],
        ["alpaca", "9,120", "18.5", "instruction and output"],
        ["text", "30,002", "102.7", "plain documents"],
    ], "Ruled", numeric=(1, 2)),
    P("Sizes are for uncompressed JSON Lines. The options that matter most are listed next."),
    table("Options", "AD", None, [
        ["--format", "the record layout to write"],
        ["--chunk-tokens", "the token budget of one chunk"],
        ["--dedup", "which duplicates to drop"],
    ], "Plain"),
    P("Everything else keeps its default, which the manifest records."),
]
doc = head + '<office:body><office:text>\n' + "\n".join(body) + '\n</office:text></office:body></office:document>\n'
open("table.fodt", "w").write(doc)
