package org.spikerl.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.regex.Pattern;

/**
 * Drains a child's output on a daemon thread and keeps its last lines for error messages. The
 * child never blocks on a full pipe, and memory stays bounded: at most {@code maxLines} lines of
 * at most {@link #MAX_LINE} characters each.
 */
final class OutputTail {
    static final int MAX_LINE = 500;
    // Terminal colour codes (gymnasium colours its warnings) are noise in an error message.
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");
    /**
     * A Python warning as the warnings module prints it ({@code file.py:513: DeprecationWarning: ...}),
     * e.g. Gymnasium's "environment is out of date": not why a process died, so not quoted as its
     * output. The indented source line the module prints after it goes too.
     */
    private static final Pattern PYTHON_WARNING = Pattern.compile("^\\S.*\\.py:\\d+: \\w*Warning: .*");
    private boolean afterWarning;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final int maxLines;
    private final Thread thread;

    private OutputTail(InputStream in, int maxLines, String threadName) {
        this.maxLines = maxLines;
        this.thread = new Thread(() -> drain(in), threadName);
        thread.setDaemon(true);
    }

    static OutputTail start(InputStream in, int maxLines, String threadName) {
        OutputTail tail = new OutputTail(in, maxLines, threadName);
        tail.thread.start();
        return tail;
    }

    private void drain(InputStream in) {
        StringBuilder line = new StringBuilder();
        char[] buf = new char[4096];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        add(line.toString());
                        line.setLength(0);
                    } else if (line.length() < MAX_LINE) {
                        line.append(c);
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closes when the process dies; whatever was read is kept.
        }
        add(line.toString());
    }

    void add(String text) {
        String raw = ANSI_ESCAPE.matcher(text).replaceAll("");
        boolean sourceLine = afterWarning && !raw.isEmpty() && Character.isWhitespace(raw.charAt(0));
        afterWarning = PYTHON_WARNING.matcher(raw).matches();
        if (afterWarning || sourceLine) {
            return;
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            return;
        }
        synchronized (lines) {
            if (lines.size() == maxLines) {
                lines.removeFirst();
            }
            lines.addLast(s);
        }
    }

    /** The last {@code n} lines joined with " | " (one line for an error message), or "(no output)". */
    String last(int n) {
        synchronized (lines) {
            int skip = Math.max(0, lines.size() - n);
            StringBuilder out = new StringBuilder();
            for (String s : lines) {
                if (skip-- > 0) {
                    continue;
                }
                if (out.length() > 0) {
                    out.append(" | ");
                }
                out.append(s);
            }
            return out.length() == 0 ? "(no output)" : out.toString();
        }
    }

    /** Waits briefly for the child's last output to arrive after it exited. */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
