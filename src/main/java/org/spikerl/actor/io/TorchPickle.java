package org.spikerl.actor.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import org.spikerl.SpikerlException;

/**
 * Reads the state dict of a {@code torch.save} zip archive (PyTorch 1.6 and later) without Python:
 * the pickle {@code <root>/data.pkl} is interpreted with Pyrolite, and every tensor's raw storage
 * {@code <root>/data/<key>} is read from the archive.
 *
 * <p>The pickle of a state dict refers to three kinds of Python objects, which are rebuilt here
 * instead of being called: {@code collections.OrderedDict} (a {@link LinkedHashMap}, in file
 * order), {@code torch.<Type>Storage} (the element type of a storage) and
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}. Storages arrive
 * through persistent ids {@code ('storage', type, key, location, numel)}; the location
 * ({@code cuda:0} in checkpoints saved from a GPU) does not matter, the bytes are the same.
 * Any other Python global becomes an inert placeholder: nothing from the file is executed.
 *
 * <p>A tensor must be contiguous (row-major strides) within its storage; its storage offset and
 * size are bounds-checked against the stored bytes. float32 is read as is; float64, float16 and
 * bfloat16 are converted to float32 (the precision the runtime computes in). Integer tensors are
 * kept without data and refused if a layer uses them.
 */
final class TorchPickle {

    private TorchPickle() {
    }

    /** Element type of a torch storage. */
    record Dtype(String name, int itemSize, boolean floating) {
    }

    private static final Map<String, Dtype> STORAGE_TYPES = Map.ofEntries(
            Map.entry("FloatStorage", new Dtype("float32", 4, true)),
            Map.entry("DoubleStorage", new Dtype("float64", 8, true)),
            Map.entry("HalfStorage", new Dtype("float16", 2, true)),
            Map.entry("BFloat16Storage", new Dtype("bfloat16", 2, true)),
            Map.entry("LongStorage", new Dtype("int64", 8, false)),
            Map.entry("IntStorage", new Dtype("int32", 4, false)),
            Map.entry("ShortStorage", new Dtype("int16", 2, false)),
            Map.entry("CharStorage", new Dtype("int8", 1, false)),
            Map.entry("ByteStorage", new Dtype("uint8", 1, false)),
            Map.entry("BoolStorage", new Dtype("bool", 1, false)));

    record StorageRef(String key, Dtype dtype, long numel) {
    }

    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** A Python global the reader does not model; calling it yields an {@link Opaque}. */
    record OpaqueGlobal(String qualifiedName) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return new Opaque(qualifiedName);
        }
    }

    record Opaque(String qualifiedName) {
    }

    /** {@code torch.<Type>Storage}: only ever passed inside a persistent id, never called. */
    record StorageType(String className, Dtype dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + className + " called in a state dict pickle");
        }
    }

    /** The tensors of the state dict in {@code zip}, in file order; a saved tuple is refused. */
    static Map<String, Tensor> readStateDict(ZipArchive zip) {
        List<Map<String, Tensor>> dicts = readStateDicts(zip);
        if (dicts.size() != 1) {
            throw new SpikerlException(zip.where() + ": holds a tuple of " + dicts.size()
                    + " state dicts; expected one state dict");
        }
        return dicts.get(0);
    }

    /**
     * The state dicts in {@code zip}: one for {@code torch.save(model.state_dict())}, or one per
     * element for a saved tuple or list of state dicts (CleanRL saves
     * {@code (actor.state_dict(), qf1.state_dict(), qf2.state_dict())}), each in file order.
     */
    static List<Map<String, Tensor>> readStateDicts(ZipArchive zip) {
        String where = zip.where();
        String pkl = null;
        for (String n : zip.names()) {
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                if (pkl != null) {
                    throw new SpikerlException(where + ": two data.pkl entries (" + pkl + ", " + n
                            + "); expected one torch.save archive");
                }
                pkl = n;
            }
        }
        if (pkl == null) {
            throw new SpikerlException(where + ": no <root>/data.pkl entry; expected a torch.save zip archive");
        }
        String root = pkl.substring(0, pkl.length() - "data.pkl".length());
        ByteOrder order = byteOrder(zip, root);

        Object top;
        TorchUnpickler u = new TorchUnpickler();
        try {
            top = u.load(new ByteArrayInputStream(zip.get(pkl)));
        } catch (PickleException | IOException | ClassCastException | IndexOutOfBoundsException e) {
            throw new SpikerlException(where + ": cannot read " + pkl + " (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        } finally {
            u.close();
        }
        List<?> elements;
        if (top instanceof Map<?, ?>) {
            elements = List.of(top);
        } else if (top instanceof Object[] tuple && tuple.length > 0) {
            elements = List.of(tuple);
        } else if (top instanceof List<?> list && !list.isEmpty()) {
            elements = list;
        } else {
            throw new SpikerlException(where + ": " + pkl + " holds a " + typeName(top)
                    + "; expected a state dict (save model.state_dict())");
        }
        List<Map<String, Tensor>> dicts = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            String what = elements.size() == 1 ? "the pickled dict" : "element " + i + " of the saved tuple";
            if (!(elements.get(i) instanceof Map<?, ?> dict)) {
                throw new SpikerlException(where + ": " + what + " is a " + typeName(elements.get(i))
                        + "; expected a state dict (save model.state_dict())");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            List<String> others = new ArrayList<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (e.getValue() instanceof TensorRef t) {
                    tensors.put(name, materialise(where, name, t, zip, root, order));
                } else {
                    others.add(name);
                }
            }
            if (tensors.isEmpty()) {
                throw new SpikerlException(where + ": " + what + " holds no tensors (keys: " + others
                        + "); expected a state dict (save model.state_dict())");
            }
            dicts.add(tensors);
        }
        return dicts;
    }

    private static ByteOrder byteOrder(ZipArchive zip, String root) {
        byte[] b = zip.get(root + "byteorder");
        if (b == null) {
            return ByteOrder.LITTLE_ENDIAN; // archives before PyTorch 1.10 are little-endian and say nothing
        }
        String s = new String(b, StandardCharsets.US_ASCII).strip();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new SpikerlException(zip.where() + ": byteorder entry says '" + s
                    + "'; expected little or big");
        };
    }

    private static Tensor materialise(String where, String name, TensorRef t, ZipArchive zip, String root,
            ByteOrder order) {
        long[] size = t.size();
        long[] stride = t.stride();
        if (stride.length != size.length) {
            throw new SpikerlException(where + ": tensor " + name + " has " + size.length + " dimensions but "
                    + stride.length + " strides");
        }
        long numel = Tensor.numel(size);
        if (numel < 0) {
            throw new SpikerlException(where + ": tensor " + name + " has an invalid or too large shape "
                    + java.util.Arrays.toString(size));
        }
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                throw new SpikerlException(where + ": tensor " + name + " is not contiguous (shape "
                        + java.util.Arrays.toString(size) + ", strides " + java.util.Arrays.toString(stride)
                        + "); save it with .contiguous()");
            }
            expected *= size[d];
        }
        Dtype dtype = t.storage().dtype();
        if (!dtype.floating()) {
            return new Tensor(name, dtype.name(), Tensor.toInts(size), null);
        }
        String entry = root + "data/" + t.storage().key();
        byte[] raw = zip.get(entry);
        if (raw == null) {
            throw new SpikerlException(where + ": storage " + entry + " of tensor " + name
                    + " is missing from the archive");
        }
        long storageNumel = t.storage().numel();
        if ((long) raw.length < storageNumel * dtype.itemSize()) {
            throw new SpikerlException(where + ": storage " + entry + " holds " + raw.length + " bytes, expected "
                    + storageNumel * dtype.itemSize() + " (" + storageNumel + " " + dtype.name() + ")");
        }
        if (t.offset() < 0 || t.offset() + numel > storageNumel) {
            throw new SpikerlException(where + ": tensor " + name + " reads elements [" + t.offset() + ", "
                    + (t.offset() + numel) + ") of a storage of " + storageNumel);
        }
        float[] data = new float[(int) numel];
        ByteBuffer buf = ByteBuffer.wrap(raw).order(order);
        int base = (int) (t.offset() * dtype.itemSize());
        switch (dtype.name()) {
            case "float32" -> buf.position(base).slice().order(order).asFloatBuffer().get(data);
            case "float64" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) buf.getDouble(base + 8 * i);
                }
            }
            case "float16" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = halfToFloat(buf.getShort(base + 2 * i));
                }
            }
            case "bfloat16" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float.intBitsToFloat((buf.getShort(base + 2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(dtype.name());
        }
        return new Tensor(name, dtype.name(), Tensor.toInts(size), data);
    }

    /** IEEE 754 binary16 to float32, exact (every half value is a float). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Opaque op) {
            return op.qualifiedName();
        }
        if (o instanceof Object[]) {
            return "tuple";
        }
        if (o instanceof List) {
            return "list";
        }
        return o.getClass().getSimpleName();
    }

    static long asLong(Object o, String what) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        throw new PickleException(what + " is a " + typeName(o) + ", expected an integer");
    }

    static long[] asLongs(Object o, String what) {
        if (!(o instanceof Object[] tuple)) {
            throw new PickleException(what + " is a " + typeName(o) + ", expected a tuple of integers");
        }
        long[] r = new long[tuple.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = asLong(tuple[i], what);
        }
        return r;
    }

    /**
     * Pyrolite's unpickler with the torch globals rebuilt locally, dicts kept in file order and
     * object state ({@code BUILD}, e.g. a state dict's {@code _metadata}) dropped.
     */
    private static final class TorchUnpickler extends LocalGlobalsUnpickler {

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<Object, Object>());
                case Opcodes.SETITEMS -> {
                    List<Object> items = stack.pop_all_since_marker();
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> map = (Map<Object, Object>) stack.peek();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                }
                case Opcodes.BUILD -> stack.pop();
                default -> {
                    return super.dispatch(key);
                }
            }
            return NO_RETURN_VALUE;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
                throw new PickleException("unexpected persistent id " + typeName(pid) + "; expected ('storage', type, key, location, numel)");
            }
            if (!(t[1] instanceof StorageType type)) {
                throw new PickleException("storage " + t[2] + " has unsupported type " + describe(t[1]));
            }
            return new StorageRef(String.valueOf(t[2]), type.dtype(), asLong(t[4], "storage size"));
        }

        private static String describe(Object o) {
            return o instanceof OpaqueGlobal g ? g.qualifiedName() : typeName(o);
        }

        @Override
        IObjectConstructor global(String module, String name) {
            String q = module + "." + name;
            switch (q) {
                case "collections.OrderedDict" -> {
                    return args -> {
                        LinkedHashMap<Object, Object> m = new LinkedHashMap<>();
                        if (args.length == 1 && args[0] instanceof List<?> pairs) {
                            for (Object p : pairs) {
                                if (p instanceof Object[] kv && kv.length == 2) {
                                    m.put(kv[0], kv[1]);
                                }
                            }
                        }
                        return m;
                    };
                }
                case "torch._utils._rebuild_tensor_v2" -> {
                    return args -> {
                        if (args.length < 4 || !(args[0] instanceof StorageRef s)) {
                            throw new PickleException("_rebuild_tensor_v2 called without a storage");
                        }
                        return new TensorRef(s, asLong(args[1], "storage offset"), asLongs(args[2], "size"),
                                asLongs(args[3], "stride"));
                    };
                }
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                    return args -> args[0];
                }
                default -> {
                    if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
                        return new StorageType(name, STORAGE_TYPES.get(name));
                    }
                    return new OpaqueGlobal(q);
                }
            }
        }
    }
}
