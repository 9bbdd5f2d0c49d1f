package dev.crucible.trainer.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes one {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw bytes.
 *
 * <p>Written here rather than through {@code NDList.encode} because the PyTorch engine of DJL 0.35.1
 * aborts the JVM when it casts to or from bfloat16 on CPU, and real Qwen checkpoints are bfloat16: this
 * reader widens BF16 and F16 to float32 in Java, one tensor at a time, so memory stays one tensor above
 * the model's own.
 */
public final class SafeTensors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SafeTensors() {}

  /**
   * Copies each array of {@code stored} into the live array of the same name in {@code live}, in place.
   *
   * @param source names where {@code stored} came from, in the error
   * @throws IllegalStateException when {@code stored} lacks one or has it in another shape
   */
  public static void copyInto(Map<String, NDArray> live, Map<String, NDArray> stored, String source) {
    for (Map.Entry<String, NDArray> entry : live.entrySet()) {
      NDArray value = stored.get(entry.getKey());
      if (value == null || !value.getShape().equals(entry.getValue().getShape())) {
        throw new IllegalStateException(source + " lacks " + entry.getKey() + " of shape " + entry.getValue().getShape());
      }
      entry.getValue().set(value.toByteBuffer());
    }
  }

  /** Every tensor of {@code file}, in file order, as float32 arrays of {@code manager} named as stored. */
  public static Map<String, NDArray> read(Path file, NDManager manager) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength <= 0 || headerLength > channel.size() - 8) {
        throw problem(file, "the header length " + headerLength + " does not fit a file of " + channel.size() + " bytes");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header = MAPPER.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      long dataStart = 8 + headerLength;
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getKey().equals("__metadata__")) {
          continue;
        }
        tensors.put(entry.getKey(), readTensor(file, channel, dataStart, entry.getKey(), entry.getValue(), manager));
      }
      return tensors;
    } catch (IOException e) {
      throw problem(file, "cannot read: " + e.getMessage());
    }
  }

  /** Writes {@code tensors} (float32) to {@code file}, in the map's order. */
  public static void write(Path file, Map<String, NDArray> tensors) {
    ObjectNode header = MAPPER.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
      NDArray array = entry.getValue();
      if (array.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException(entry.getKey() + " is " + array.getDataType() + "; only float32 is written");
      }
      long bytes = array.size() * 4;
      ObjectNode tensor = header.putObject(entry.getKey()).put("dtype", "F32");
      for (long dim : array.getShape().getShape()) {
        tensor.withArray("shape").add(dim);
      }
      tensor.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    try {
      writeFile(file, header, tensors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writeFile(Path file, ObjectNode header, Map<String, NDArray> tensors) throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8; // The format asks for an 8-byte aligned data section.
    byte[] headerBytes = new byte[padded];
    java.util.Arrays.fill(headerBytes, (byte) ' ');
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      byte[] chunk = new byte[1 << 20];
      for (NDArray array : tensors.values()) {
        ByteBuffer data = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        while (data.hasRemaining()) {
          int n = Math.min(chunk.length, data.remaining());
          data.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
    }
  }

  private static NDArray readTensor(
      Path file, FileChannel channel, long dataStart, String name, JsonNode spec, NDManager manager) throws IOException {
    String dtype = spec.path("dtype").asText();
    JsonNode shapeNode = spec.path("shape");
    long[] dims = new long[shapeNode.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shapeNode.get(i).asLong();
    }
    Shape shape = new Shape(dims);
    long begin = spec.path("data_offsets").path(0).asLong(-1);
    long end = spec.path("data_offsets").path(1).asLong(-1);
    int width = switch (dtype) {
      case "F32" -> 4;
      case "BF16", "F16" -> 2;
      default -> throw problem(file, "tensor " + name + " has dtype " + dtype + "; F32, BF16 and F16 are read");
    };
    if (begin < 0 || end - begin != shape.size() * width || dataStart + end > channel.size()) {
      throw problem(file, "tensor " + name + ": data_offsets [" + begin + ", " + end + "] do not match shape " + shape + " of " + dtype);
    }
    MappedByteBuffer raw = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
    raw.order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer floats = width == 4 ? raw : widen(raw, dtype.equals("BF16"), shape.size());
    // The engine may keep pointing at the buffer it was given: a read-only file mapping (a write in place
    // would crash the JVM) or a direct buffer the JVM frees when it collects it. A copy owns its memory.
    try (NDArray view = manager.create(floats, shape, DataType.FLOAT32)) {
      NDArray array = view.duplicate();
      array.setName(name);
      return array;
    }
  }

  private static ByteBuffer widen(ByteBuffer halves, boolean bfloat16, long count) {
    ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder());
    for (long i = 0; i < count; i++) {
      short bits = halves.getShort();
      out.putFloat(bfloat16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : HalfFloats.toFloat(bits));
    }
    return out.flip();
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      int n = channel.read(into, position + into.position());
      if (n < 0) {
        throw new IOException("file ends early");
      }
    }
  }

  private static InvalidInputException problem(Path file, String message) {
    return new InvalidInputException(new InputProblem(file.toString(), 0, null, message));
  }
}
