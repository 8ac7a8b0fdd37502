package org.spikerl.actor.io;

import java.io.IOException;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite's unpickler with every global the pickle names ({@code GLOBAL}, {@code STACK_GLOBAL})
 * resolved by the reader's own {@link #global}, never by Pyrolite's registry of constructors, so
 * that a file can build only what its reader rebuilds itself. Shared by the torch state dict
 * reader ({@link TorchPickle}) and the statistics reader ({@link VecNormalizePickle}); each
 * handles its own opcodes and passes the rest on with {@code super.dispatch}.
 */
abstract class LocalGlobalsUnpickler extends Unpickler {

    /** What the pickle's name {@code module.name} stands for when it is pushed on the stack. */
    abstract Object global(String module, String name);

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(global(String.valueOf(module), String.valueOf(name)));
            }
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }
}
