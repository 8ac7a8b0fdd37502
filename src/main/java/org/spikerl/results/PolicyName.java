package org.spikerl.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A short name of an actor file for titles: the {@code name} of a {@code model_card.json} next to
 * it (the shipped policies have one), else the file name without its extension, or the folder's
 * name for an SB3 {@code model.zip}.
 */
public final class PolicyName {
    private PolicyName() {
    }

    public static String of(Path policy) {
        Path parent = policy.toAbsolutePath().getParent();
        if (parent != null) {
            Path card = parent.resolve("model_card.json");
            if (Files.isRegularFile(card)) {
                try {
                    JsonNode name = RunDirectory.JSON.readTree(card.toFile()).get("name");
                    if (name != null && name.isTextual() && !name.asText().isBlank()) {
                        return name.asText();
                    }
                } catch (IOException e) {
                    // An unreadable card only costs the nicer title.
                }
            }
        }
        String stem = policy.getFileName().toString().replaceFirst("\\.[A-Za-z0-9]+$", "");
        if (stem.equals("model") && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        return stem;
    }
}
