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
    void saysWhenThereWasNoOutput() {
        assertEquals("(no output)", drained("\n \n", 5).last(5));
    }
}
