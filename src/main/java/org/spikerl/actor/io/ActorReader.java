package org.spikerl.actor.io;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads one actor file format. It tells its format from the file's bytes ({@link #accepts}) and
 * returns what the file holds ({@link #read}): the tensors, the layout they are in, the action
 * bounds and observation normalisation the file stores, and the hidden activation it records.
 * Assembling an {@link org.spikerl.actor.Actor} from that, with the environment's bounds and
 * normalisation files found elsewhere, is {@link ActorLoader}'s job, the same for every format.
 * A new format is one new implementation, listed in {@link ActorLoader#READERS}.
 */
interface ActorReader {

    /** Short name of the format, for provenance and messages ({@code sb3-zip}). */
    String format();

    /** Whether the file is in this format, told from its bytes (never from its name). */
    boolean accepts(Probe probe);

    /** Reads the file; every failure is a one-line {@link org.spikerl.SpikerlException} starting with the file. */
    ReadActor read(Probe probe);

    /**
     * What is known of a file before a reader claims it.
     *
     * @param file the file
     * @param head its first bytes (up to 16)
     * @param size its size in bytes
     * @param zip its entries when it is a zip archive (read once, shared by the readers), else {@code null}
     */
    record Probe(Path file, byte[] head, long size, ZipArchive zip) {
        String where() {
            return file.toString();
        }

        /**
         * Whether the file is a zip archive with an entry that {@code test} accepts, given the
         * entry's path below its top folder split at '/' ({@code [data.pkl]},
         * {@code [code, __torch__, model.py]}): PyTorch writes every entry of its archives under
         * one folder named after the file, so only what lies below that folder tells the kind.
         */
        boolean hasTorchEntry(Predicate<List<String>> test) {
            if (zip == null) {
                return false;
            }
            for (String name : zip.names()) {
                List<String> parts = List.of(name.split("/"));
                if (parts.size() >= 2 && test.test(parts.subList(1, parts.size()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
