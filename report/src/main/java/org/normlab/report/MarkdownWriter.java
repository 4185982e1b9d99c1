package org.normlab.report;

import java.util.List;

/** Renders a {@link Doc} as GitHub-flavoured Markdown; images stay files beside it. */
final class MarkdownWriter {

    private MarkdownWriter() {}

    static String render(Doc doc) {
        StringBuilder md = new StringBuilder("# ").append(doc.title).append("\n\n");
        for (Doc.Block b : doc.blocks) {
            if (b instanceof Doc.Heading h) {
                md.append("#".repeat(h.level() + 1)).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof Doc.Paragraph p) {
                md.append(p.text()).append("\n\n");
            } else if (b instanceof Doc.Bullets l) {
                l.items().forEach(i -> md.append("- ").append(i).append('\n'));
                md.append('\n');
            } else if (b instanceof Doc.Table t) {
                table(md, t);
            } else if (b instanceof Doc.Image i) {
                md.append("![").append(i.title()).append("](").append(i.file()).append(")\n\n")
                        .append('*').append(i.caption()).append("*\n\n");
            } else if (b instanceof Doc.Code c) {
                md.append("```\n").append(c.text().stripTrailing()).append("\n```\n\n");
            }
        }
        return md.toString();
    }

    private static void table(StringBuilder md, Doc.Table t) {
        row(md, t.header());
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < t.header().size(); i++) {
            rule.append(t.numeric().get(i) ? " ---: |" : " --- |");
        }
        md.append(rule).append('\n');
        t.rows().forEach(r -> row(md, r));
        md.append('\n');
    }

    private static void row(StringBuilder md, List<String> cells) {
        md.append('|');
        cells.forEach(c -> md.append(' ').append(c.replace("|", "\\|").replace('\n', ' ')).append(" |"));
        md.append('\n');
    }
}
