package org.normlab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Renders a {@link Doc} as one self-contained HTML page: the CSS is inline and every image is a
 * base64 {@code data:} URI, so the file can be mailed or archived alone.
 */
final class HtmlWriter {

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
                   color: #222; max-width: 1400px; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
            h1 { border-bottom: 2px solid #ddd; padding-bottom: .3em; }
            h2 { margin-top: 2em; border-bottom: 1px solid #eee; padding-bottom: .2em; }
            table { border-collapse: collapse; margin: 1em 0; font-size: .92em; }
            th, td { border: 1px solid #ddd; padding: .35em .7em; vertical-align: top; }
            th { background: #f5f5f5; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr:nth-child(even) td { background: #fafafa; }
            figure { margin: 1.5em 0; }
            figure img { max-width: 100%; border: 1px solid #eee; }
            figcaption { color: #555; font-size: .9em; margin-top: .4em; }
            pre { background: #f6f8fa; padding: 1em; overflow-x: auto; font-size: .88em; }
            .legend { color: #555; font-size: .92em; }
            """;

    private HtmlWriter() {}

    /** The page; images are read from {@code dir}. */
    static String render(Doc doc, Path dir) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(doc.title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(esc(doc.title)).append("</h1>\n");
        for (Doc.Block b : doc.blocks) {
            if (b instanceof Doc.Heading x) {
                int level = x.level() + 1;
                h.append("<h").append(level).append('>').append(esc(x.text())).append("</h").append(level).append(">\n");
            } else if (b instanceof Doc.Paragraph p) {
                h.append("<p class=\"legend\">").append(inline(p.text())).append("</p>\n");
            } else if (b instanceof Doc.Bullets l) {
                h.append("<ul>\n");
                l.items().forEach(i -> h.append("<li>").append(inline(i)).append("</li>\n"));
                h.append("</ul>\n");
            } else if (b instanceof Doc.Table t) {
                table(h, t);
            } else if (b instanceof Doc.Image i) {
                byte[] png = Files.readAllBytes(dir.resolve(i.file()));
                h.append("<figure>\n<img alt=\"").append(esc(i.title())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(png)).append("\">\n<figcaption>")
                        .append(esc(i.caption())).append("</figcaption>\n</figure>\n");
            } else if (b instanceof Doc.Code c) {
                h.append("<pre>").append(esc(c.text().stripTrailing())).append("</pre>\n");
            }
        }
        return h.append("</body>\n</html>\n").toString();
    }

    private static void table(StringBuilder h, Doc.Table t) {
        h.append("<table>\n<thead><tr>");
        t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                h.append(t.numeric().get(i) ? "<td class=\"num\">" : "<td>").append(inline(row.get(i))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** Escapes, then turns Markdown's `code` and **bold** into HTML (the only inline marks the report uses). */
    private static String inline(String text) {
        return esc(text).replaceAll("`([^`]+)`", "<code>$1</code>").replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
