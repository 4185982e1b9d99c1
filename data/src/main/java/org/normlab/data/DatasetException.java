package org.normlab.data;

/**
 * Any failure to find, read or shape data. The message alone tells the user what was wrong,
 * where (file, archive member), what was expected and, for a missing dataset, how to get it, so
 * a command-line front end can print it without a stack trace.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
