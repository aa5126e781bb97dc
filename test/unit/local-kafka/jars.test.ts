import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mavenDownloads } from '../../../src/local-kafka/jars.js';

test("the first kafka start's progress counts Maven's finished downloads and their size (3.8 and 3.9 lines)", () => {
  const output = [
    '[INFO] Scanning for projects...',
    'Downloading from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.pom',
    'Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.pom (2.5 kB at 12 kB/s)',
    'Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/kafka/kafka_2.13/4.1.1/kafka_2.13-4.1.1.jar (6.4 MB at 3.1 MB/s)',
    '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar (69 kB at 400 kB/s)',
    'Downloaded from central: https://repo.maven.apache.org/maven2/x/y/1/y-1.pom (812 B at 9 kB/s)',
    '[INFO] Copying kafka_2.13-4.1.1.jar to /state/kafka/lib/kafka_2.13-4.1.1.jar',
  ].join('\n');
  assert.deepEqual(mavenDownloads(output), { files: 4, bytes: 2500 + 6_400_000 + 69_000 + 812 });
  assert.deepEqual(mavenDownloads('[INFO] BUILD SUCCESS\n'), { files: 0, bytes: 0 });
});
