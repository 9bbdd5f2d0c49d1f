"""A least-recently-used cache."""


class LRUCache:
    def __init__(self, capacity=2):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._order = []
        self._values = {}

    def get(self, key, default=None):
        if key not in self._values:
            return default
        self._order.remove(key)
        self._order.append(key)
        return self._values[key]

    def put(self, key, value):
        if key in self._values:
            self._order.remove(key)
        elif len(self._values) >= self.capacity:
            oldest = self._order.pop(0)
            del self._values[oldest]
        self._values[key] = value
        self._order.append(key)

    def __contains__(self, key):
        return key in self._values

    def __len__(self):
        return len(self._values)
