package io.github.int8cal.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer's settings under the canonical keys listed in {@link Op}. Values are {@code Long},
 * {@code Double}, {@code Boolean}, {@code String}, {@code List<Long>} or {@code List<Double>}.
 */
public final class Attributes {

    private final Map<String, Object> values;

    private Attributes(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Attributes empty() {
        return new Attributes(new LinkedHashMap<>());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public long getLong(String key, long fallback) {
        Object v = values.get(key);
        return v == null ? fallback : ((Number) v).longValue();
    }

    public double getDouble(String key, double fallback) {
        Object v = values.get(key);
        return v == null ? fallback : ((Number) v).doubleValue();
    }

    public boolean getBoolean(String key, boolean fallback) {
        Object v = values.get(key);
        return v == null ? fallback : (Boolean) v;
    }

    public String getString(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : (String) v;
    }

    @SuppressWarnings("unchecked")
    public List<Long> getLongs(String key) {
        Object v = values.get(key);
        return v == null ? List.of() : (List<Long>) v;
    }

    @SuppressWarnings("unchecked")
    public List<Double> getDoubles(String key) {
        Object v = values.get(key);
        return v == null ? List.of() : (List<Double>) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attributes a && values.equals(a.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Collects attributes in insertion order (kept for stable reports). */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Builder put(String key, long value) {
            values.put(key, value);
            return this;
        }

        public Builder put(String key, double value) {
            values.put(key, value);
            return this;
        }

        public Builder put(String key, boolean value) {
            values.put(key, value);
            return this;
        }

        public Builder put(String key, String value) {
            values.put(key, value);
            return this;
        }

        public Builder putLongs(String key, List<Long> value) {
            values.put(key, List.copyOf(value));
            return this;
        }

        public Builder putDoubles(String key, List<Double> value) {
            values.put(key, List.copyOf(value));
            return this;
        }

        public Attributes build() {
            return new Attributes(new LinkedHashMap<>(values));
        }
    }
}
