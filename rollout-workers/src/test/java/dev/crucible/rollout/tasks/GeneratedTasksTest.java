package dev.crucible.rollout.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crucible.data.TaskInstance;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GeneratedTasksTest {
  private static List<GeneratedTask> tasks(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> new GeneratedTask(new TaskInstance("t-" + i, "local/kit", "abc", "fails", "", "", "", List.of("a"), List.of(), "0",
            null, null, null, null, "pytest"), new MutationCandidate(i, "off_by_one", "kit.py", "f", 1)))
        .toList();
  }

  @Test
  void holdsOutTheLastTasksButLeavesOneToTrainOn() {
    GeneratedTasks.Split split = GeneratedTasks.split(tasks(5), 2);
    assertThat(split.train()).extracting(t -> t.task().instanceId()).containsExactly("t-0", "t-1", "t-2");
    assertThat(split.heldOut()).extracting(t -> t.task().instanceId()).containsExactly("t-3", "t-4");
    GeneratedTasks.Split few = GeneratedTasks.split(tasks(2), 5);
    assertThat(few.train()).hasSize(1);
    assertThat(few.heldOut()).hasSize(1);
    assertThat(GeneratedTasks.split(tasks(0), 3).heldOut()).isEmpty();
    assertThatThrownBy(() -> GeneratedTasks.split(tasks(3), -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
