package org.spikerl.actor.io;

import java.util.List;
import java.util.Map;
import org.spikerl.actor.ObservationNorm;

/**
 * What an {@link ActorReader} found in a file, before it is assembled into an actor.
 *
 * @param format the reader's format name
 * @param tensors the actor's tensors by name, in file order
 * @param layout the recognised layout (layers, head, tensors ignored)
 * @param low action lower bounds stored in the file, or {@code null} when it stores none
 * @param high action upper bounds stored in the file, or {@code null}
 * @param norm observation normalisation stored with the actor (a safetensors sidecar), or {@code null}
 * @param activation the hidden activation and how it is known
 * @param observationSize the observation size the file records, or -1
 * @param notes facts worth showing a user ({@code a tuple of 3 state dicts; the actor is the first})
 */
record ReadActor(String format, Map<String, Tensor> tensors, ActorLayout.Match layout, double[] low, double[] high,
        ObservationNorm norm, Activation activation, int observationSize, List<String> notes) {

    public ReadActor {
        notes = List.copyOf(notes);
    }

    /**
     * The hidden activation.
     *
     * @param name simple class name ({@code ReLU}, {@code Tanh})
     * @param how where that comes from ({@code policy_kwargs.activation_fn}, {@code the default of sb3-ppo},
     *        {@code assumed: a state dict does not record activations})
     */
    record Activation(String name, String how) {
        boolean isRelu() {
            return name.equals("ReLU");
        }
    }

    /** ReLU, assumed for formats that store weights only. */
    static Activation assumedRelu(String format) {
        return new Activation("ReLU", "assumed: a " + format + " file does not record activations");
    }
}
