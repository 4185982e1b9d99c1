package org.normlab.config;

/**
 * Where a value came from: a file position, or a command-line override.
 *
 * @param source a file name, or {@code --set}
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Located(String source, int line, int column) {

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
