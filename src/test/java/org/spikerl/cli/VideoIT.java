package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spikerl.cli.CliCapture.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval --snn --video DIR} through the real bridge and MuJoCo's offscreen renderer (OSMesa):
 * one GIF with the ANN and the SNN episode of the first seed side by side.
 */
class VideoIT {
    private static final Path IDP = Path.of("policies/inverted-double-pendulum-v4-td3/model.zip");

    @Test
    void snnVideoShowsTheAnnAndTheSnnSideBySide(@TempDir Path tmp) throws IOException {
        Path video = tmp.resolve("video");
        CliCapture.Run r = cli("eval", "--env", "InvertedDoublePendulum-v4", "--policy", IDP.toString(), "--snn",
                "--no-tune", "--calibration-steps", "500", "--episodes", "1", "--out", tmp.resolve("run").toString(),
                "--video", video.toString());
        assertEquals(0, r.status(), r.err());
        Path gif = video.resolve("InvertedDoublePendulum-v4__seed0.gif");
        assertTrue(r.out().contains("video: " + gif), r.out());
        byte[] head = Files.readAllBytes(gif);
        assertEquals("GIF89a", new String(head, 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
        BufferedImage first = ImageIO.read(gif.toFile());
        assertEquals(2 * 240, first.getWidth(), "two episodes of 240 pixels side by side");
        assertEquals(240, first.getHeight());
    }
}
