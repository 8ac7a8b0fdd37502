package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    private static OutputTail drained(String text, int maxLines) {
        OutputTail tail = OutputTail.start(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLines,
                "test-output");
        tail.awaitEnd(5000);
        return tail;
    }

    @Test
    void keepsTheLastLinesOnOneLine() {
        OutputTail tail = drained("a\nb\n\n  c  \nd\ne", 3);
        assertEquals("c | d | e", tail.last(10));
        assertEquals("d | e", tail.last(2));
    }

    @Test
    void cutsLongLines() {
        OutputTail tail = drained("x".repeat(OutputTail.MAX_LINE + 100) + "\nend\n", 5);
        assertEquals("x".repeat(OutputTail.MAX_LINE) + " | end", tail.last(5));
    }

    @Test
    void dropsTerminalColourCodes() {
        OutputTail tail = drained("\u001B[33mWARN: out of date\u001B[0m\n", 5);
        assertEquals("WARN: out of date", tail.last(5));
    }

    @Test
    void leavesOutPythonWarningsAndTheirSourceLine() {
        OutputTail tail = drained("/venv/lib/gymnasium/envs/registration.py:513: DeprecationWarning: \u001B[33mWARN: "
                + "The environment Hopper-v4 is out of date.\u001B[0m\n  logger.deprecation(\nTraceback (most recent"
                + " call last):\n  File \"x.py\", line 3\nMemoryError\n", 10);
        assertEquals("Traceback (most recent call last): | File \"x.py\", line 3 | MemoryError", tail.last(10));
        assertEquals("(no output)", drained("a.py:1: UserWarning: x\n  warn()\n", 5).last(5));
    }

    @Test
    void saysWhenThereWasNoOutput() {
        assertEquals("(no output)", drained("\n \n", 5).last(5));
    }
}
