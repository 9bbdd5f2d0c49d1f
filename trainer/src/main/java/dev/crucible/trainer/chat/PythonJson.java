package dev.crucible.trainer.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crucible.data.io.PythonStrings;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Python's {@code json.dumps(value, ensure_ascii=False)} writes it: {@code ", "} between
 * items, {@code ": "} after keys, keys in their given order, non-ASCII text as it is. This is what the
 * {@code tojson} filter of Hugging Face chat templates produces, so tool signatures rendered here read
 * exactly as Qwen2.5's template (and a server running {@code tokenizer_config.json}'s template) renders
 * them. Integers print as parsed; floating-point numbers as Python's {@code repr} prints them ({@link
 * #pythonFloat}).
 */
public final class PythonJson {
  private PythonJson() {}

  public static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        quote(field.getKey(), out);
        out.append(": ");
        write(field.getValue(), out);
        if (fields.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        write(node.get(i), out);
      }
      out.append(']');
    } else if (node.isTextual()) {
      quote(node.textValue(), out);
    } else if (node.isFloatingPointNumber()) {
      out.append(pythonFloat(node.doubleValue()));
    } else {
      out.append(node); // integers, true, false, null read the same in both
    }
  }

  /**
   * A double as Python's {@code repr} writes it: the digits of the shortest text that reads back as it
   * (Java 17's {@code Double.toString}, which on rare values carries one digit more), in positional form
   * when the leading digit's exponent is from -4 to 15 (with {@code .0} when whole), otherwise as
   * {@code d.ddde+XX}; {@code NaN} and {@code Infinity} as json.dumps writes them.
   */
  static String pythonFloat(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    String sign = value < 0 || (value == 0 && 1 / value < 0) ? "-" : "";
    if (value == 0) {
      return sign + "0.0";
    }
    java.math.BigDecimal decimal = new java.math.BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    if (exponent >= -4 && exponent < 16) {
      String plain = decimal.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return String.format("%s%se%s%02d", sign, mantissa, exponent < 0 ? "-" : "+", Math.abs(exponent));
  }

  private static void quote(String text, StringBuilder out) {
    PythonStrings.quote(text, false, out);
  }
}
