#!/bin/sh
# Builds the JMH jar and runs the quick profile (about 8 minutes on 2 cores), printing one table of
# scores, ratios to baselines and targets. Pass --long for the publishing profile, --jvm=/path/to/java
# to measure on another JDK (for example JDK 25 for the EC paths), or a regex to run a subset.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.QuickProfile "$@"
