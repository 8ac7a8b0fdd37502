package org.spikerl.actor.io;

/** The actor file formats {@link ActorLoader} reads, told apart by content. */
public enum ActorFormat {
    /** {@code torch.save(model.state_dict())}: a zip with {@code <root>/data.pkl} and {@code <root>/data/N}. */
    TORCH_STATE_DICT("torch-state-dict"),
    /** Stable-Baselines3 {@code model.save}: a zip with {@code data} (JSON) and {@code policy.pth}. */
    SB3_ZIP("sb3-zip"),
    /** {@code torch.jit.save}: a torch zip that also holds {@code constants.pkl} and {@code code/}. */
    TORCHSCRIPT("torchscript"),
    /** safetensors tensors plus a {@code <stem>.actor.json} sidecar. */
    SAFETENSORS("safetensors");

    private final String id;

    ActorFormat(String id) {
        this.id = id;
    }

    /** Short name for provenance and messages. */
    public String id() {
        return id;
    }
}
