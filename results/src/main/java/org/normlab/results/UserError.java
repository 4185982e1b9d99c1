package org.normlab.results;

/**
 * A problem with what the user gave us (a file, a setting, a folder), not a bug. The CLI prints
 * its message alone, without a stack trace unless --verbose, and exits non-zero.
 *
 * <p>It lives in the lowest module, {@code results}, so that every module above can throw it.
 */
public class UserError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
