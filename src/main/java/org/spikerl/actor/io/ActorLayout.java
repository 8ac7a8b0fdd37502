package org.spikerl.actor.io;

import java.util.List;
import java.util.Map;

/**
 * One way of naming an actor's tensors (CRPI's {@code l1..l3}, CleanRL's {@code fc1, fc2,
 * fc_mu}, SB3's {@code actor.mu.N}, ...), recognised by its keys alone. A layout accounts for
 * every tensor it is given: each is a layer of the actor, a buffer that defines the head, or a
 * tensor it names as ignored (a critic, a log-std head); a set of tensors with anything else in it
 * is not that layout, so that an actor is never assembled from a guess. Implementations are in
 * {@link ActorLayouts}.
 */
interface ActorLayout {

    /** The action head a layout implies. */
    enum HeadType { TANH, CLIP }

    /** Short name, for provenance and messages ({@code crpi-td3}). */
    String name();

    /** What it looks like, for the list of supported layouts in the unknown-layout message. */
    String keys();

    /** The match, or {@code null} when {@code tensors} are not in this layout. */
    Match match(Map<String, Tensor> tensors);

    /**
     * A recognised layout.
     *
     * @param layout the layout's name
     * @param prefixes tensor name prefixes of layers 1..L in forward order ({@code <prefix>.weight},
     *        {@code <prefix>.bias})
     * @param head the head the layout implies
     * @param low action lower bounds stored in the tensors (CleanRL's {@code action_bias -
     *        action_scale}), or {@code null}
     * @param high action upper bounds stored in the tensors, or {@code null}
     * @param ignored tensors present but not part of the deterministic actor, with why
     * @param defaultActivation the hidden activation when the file does not record one
     */
    record Match(String layout, List<String> prefixes, HeadType head, double[] low, double[] high,
            List<String> ignored, String defaultActivation) {
        public Match {
            prefixes = List.copyOf(prefixes);
            ignored = List.copyOf(ignored);
        }
    }
}
