package org.normlab.report;

import java.util.ArrayList;
import java.util.List;

/** A report as a list of blocks, so that Markdown and HTML say exactly the same thing. */
final class Doc {

    sealed interface Block permits Heading, Paragraph, Bullets, Table, Image, Code {}

    record Heading(int level, String text) implements Block {}

    record Paragraph(String text) implements Block {}

    record Bullets(List<String> items) implements Block {}

    /** {@code numeric.get(i)}: column i holds numbers (right-aligned). */
    record Table(List<String> header, List<List<String>> rows, List<Boolean> numeric) implements Block {}

    record Image(String file, String title, String caption) implements Block {}

    record Code(String text) implements Block {}

    final String title;
    final List<Block> blocks = new ArrayList<>();

    Doc(String title) {
        this.title = title;
    }

    Doc heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    Doc paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    Doc bullets(List<String> items) {
        if (!items.isEmpty()) {
            blocks.add(new Bullets(List.copyOf(items)));
        }
        return this;
    }

    Doc table(List<String> header, List<List<String>> rows, List<Boolean> numeric) {
        blocks.add(new Table(List.copyOf(header), List.copyOf(rows), List.copyOf(numeric)));
        return this;
    }

    Doc image(String file, String title, String caption) {
        blocks.add(new Image(file, title, caption));
        return this;
    }

    Doc code(String text) {
        blocks.add(new Code(text));
        return this;
    }
}
