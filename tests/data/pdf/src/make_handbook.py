import html, re
src = open("two_column.fodt").read()
head = src[:src.index("<office:body>")]
head = head.replace("Tunepack Test Manual — draft edition","The tunepack handbook")
head = head.replace('<text:p text:style-name="HeaderP">Page <text:page-number','<text:p text:style-name="HeaderP">– <text:page-number').replace('</text:page-number></text:p>','</text:page-number> –</text:p>',1)
head = head.replace('</office:styles>','''<style:style style:name="Code" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:margin-bottom="0cm"/><style:text-properties style:font-name="DejaVu Sans Mono" fo:font-size="9pt"/></style:style>
 <style:style style:name="Sub" style:family="paragraph" style:parent-style-name="Body"><style:paragraph-properties fo:margin-top="0.2cm"/><style:text-properties fo:font-weight="bold"/></style:style>
</office:styles>''')
head = head.replace('</office:automatic-styles>','''<text:list-style style:name="Numbers"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"><style:list-level-properties text:space-before="0.3cm" text:min-label-width="0.5cm"/></text:list-level-style-number></text:list-style>
</office:automatic-styles>''')
head = head.replace('<style:font-face style:name="Liberation Sans"','<style:font-face style:name="DejaVu Sans Mono" svg:font-family="\'DejaVu Sans Mono\'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>\n <style:font-face style:name="Liberation Sans"')
E = html.escape
SP = '<text:s text:c="2"/>'
def P(t): return '<text:p text:style-name="Body">%s</text:p>' % E(t)
def H(l,t): return '<text:h text:style-name="H%d" text:outline-level="%d">%s</text:h>' % (l,l,E(t))
def S(t): return '<text:p text:style-name="Sub">%s</text:p>' % E(t)
def C(lines): return "".join('<text:p text:style-name="Code">%s</text:p>' % E(l).replace("  ",SP) for l in lines)
def OL(items): return '<text:list text:style-name="Numbers">'+"".join('<text:list-item><text:p text:style-name="Body">%s</text:p></text:list-item>' % E(i) for i in items)+'</text:list>'
filler = ("Each export reads its inputs, normalises the text, splits it into chunks that fit the token budget, "
          "renders every chunk through the chosen template and writes the records in a deterministic order. ")
body = [H(1,"Getting started"),
 P("This handbook is a single-column document of two pages. It has a running header with the book's title, a footer that holds nothing but the page number between dashes, headings at two sizes, bold run-in subheadings, a numbered list and a block of code."),
 H(2,"Installing"),
 OL(["Install the Debian packages with scripts/setup.","Build with the commands in the README.","Run the test suite once to check the build."]),
 S("A note on helpers"),
 P("The PDF helper is built by default. When it is missing, every PDF is rejected with a message that names the package to install."),
 H(2,"A first export"),
 P("The command below exports a folder of documents as chat records:"),
 C(["tunepack export docs/ -o out \\","  --format openai --chunk-tokens 512","cat out/train.jsonl | head -n 2"]),
 P("The output folder holds the data files, a manifest and the ledger. " + filler*3 + "A long paragraph like this one may run past the bottom of the page and continue on the next, and the reader must join the two halves into one paragraph again."),
 H(1,"Concepts"),
 P(filler*2),
 S("Determinism"),
 P("The same inputs and options give the same bytes at any thread count. " + filler),
 H(2,"Ledger"),
 P("Every input ends in exactly one place: written, or rejected with a reason. " + filler*3),
]
doc = head + '<office:body><office:text>\n' + "\n".join(body) + '\n</office:text></office:body></office:document>\n'
open("handbook.fodt","w").write(doc)
