package org.normlab.experiments.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.normlab.results.UserError;

/**
 * Which folders {@code merge} reads: a sweep's result folder stands for its
 * {@code shard-i-of-n} folders ({@link Shard#folderName()}), and where the merge goes when all
 * of them are shards of one folder.
 */
public final class ShardFolders {

    static final Pattern SHARD_FOLDER = Pattern.compile("shard-(\\d+)-of-(\\d+)");

    private ShardFolders() {}

    /**
     * The result folders named by {@code dirs}: a folder that holds {@code shard-i-of-n}
     * folders stands for them (sorted by n, then i); any other folder for itself.
     */
    public static List<Path> expand(List<Path> dirs) {
        Set<Path> result = new LinkedHashSet<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new UserError(d + ": no such folder; give a sweep's result folder (OUT/<sweep name>) or its shard folders");
            }
            List<Path> shards = shardFolders(d);
            result.addAll(shards.isEmpty() ? List.of(d) : shards);
        }
        return List.copyOf(result);
    }

    /**
     * Where the merge goes when no --out is given: the folder holding the shard folders, when
     * every folder is a shard of one sweep folder; otherwise null.
     */
    public static Path defaultOut(List<Path> folders) {
        Set<Path> parents = new LinkedHashSet<>();
        for (Path f : folders) {
            Path name = f.toAbsolutePath().normalize().getFileName();
            if (name == null || !SHARD_FOLDER.matcher(name.toString()).matches()) {
                return null;
            }
            parents.add(f.toAbsolutePath().normalize().getParent());
        }
        return parents.size() == 1 ? parents.iterator().next() : null;
    }

    private static List<Path> shardFolders(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .filter(c -> SHARD_FOLDER.matcher(c.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt((Path c) -> shardNumbers(c)[1]).thenComparingInt(c -> shardNumbers(c)[0]))
                    .toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list the folder: " + e.getMessage());
        }
    }

    private static int[] shardNumbers(Path shardFolder) {
        Matcher m = SHARD_FOLDER.matcher(shardFolder.getFileName().toString());
        if (!m.matches()) {
            return new int[] {-1, -1};
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
