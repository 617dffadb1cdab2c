#!/usr/bin/env bash
# Byte-identity harness for refactorings: collects every file the plugin writes for the invoker ITs,
# the examples and a matrix of LeNet / ONNX runs, so that two builds can be compared byte for byte.
#
#   src/test/scripts/byte-identity.sh collect <repo> <out>   build <repo> (ITs included) and store its outputs in <out>
#   src/test/scripts/byte-identity.sh compare <a> <b>        diff two collections; exit 1 on any difference
#
# <repo> is a checkout of this project with ../shared beside it (e.g. `git archive <commit>` unpacked next to a
# symlink to the shared folder). The build runs offline with its own local repository (<repo>/target/local-repo,
# the one the invoker ITs install the plugin into), so nothing is installed into ~/.m2.
#
# What is compared:
#   its/<it>/...       every file under target/{generated-resources,nvdla-int8,sim} of each IT, plus its build.log
#                      reduced to the plugin's lines (timings masked)
#   examples/<ex>/...  the same for each example (tiny-cnn-model also with -Punderstated, which fails its gate)
#   matrix/<run>/...   one calibrate execution per run of a generated pom: LeNet (../shared/fixtures/caffe-lenet)
#                      in every register mode x weight quantization x input format, every hardware preset,
#                      with and without weights, with .npy samples, other namings and gate settings; the ITs'
#                      ONNX models in both modes and scopes; the IT statistics with every calibration method.
# Absolute paths of <repo> are replaced by @REPO@ in text files, so two checkouts at different places compare.
# Left out on purpose: .calibrate.digest (the up-to-date marker hashes the request's configuration text, whose
# shape is internal) and Maven's own log lines.
set -euo pipefail

usage() {
    sed -n '2,8p' "$0" >&2
    exit 2
}

mask_log() {
    # keep the plugin's own lines (and the Maven error summary), mask wall times, drop the progress
    # lines (how many appear depends on how long a run takes)
    grep -E '^\[(INFO|WARNING|ERROR)\] (nvdla-int8|  |[A-Z]+ |INT8|layer|---)|^\[ERROR\] Failed to execute|MATCH|UNSUPPORTED' "$1" \
        | grep -v -E 'Total time|Finished at|--- (resources|compiler|surefire|jar|install):' \
        | grep -v -E 'INT8 verification( \(synthetic\))?: (layer|sample) ' \
        | sed -E 's/[0-9]+\.[0-9]+ s\b/#.## s/g' || true
}

copy_outputs() { # <project dir> <dest>
    local project="$1" dest="$2"
    mkdir -p "$dest"
    for sub in generated-resources nvdla-int8 sim; do
        if [ -d "$project/target/$sub" ]; then
            (cd "$project/target" && find "$sub" -type f ! -name '.calibrate.digest' -print0 \
                | xargs -0 -r cp --parents -t "$dest")
        fi
    done
    if [ -f "$project/build.log" ]; then
        mask_log "$project/build.log" > "$dest/build.log.plugin"
    fi
}

normalize_paths() { # <dir> <repo>
    local dir="$1" repo="$2"
    find "$dir" -type f ! -name '*.bin' -print0 | xargs -0 -r sed -i "s#$repo#@REPO@#g"
}

exec_xml() { # <id> <configuration xml>
    cat <<EOF
          <execution>
            <id>$1</id>
            <goals><goal>calibrate</goal></goals>
            <configuration>
              <outputDirectory>\${project.build.directory}/runs/$1/generated-resources</outputDirectory>
              <reportDirectory>\${project.build.directory}/runs/$1/nvdla-int8</reportDirectory>
              $2
            </configuration>
          </execution>
EOF
}

matrix_pom() { # <repo>; prints the pom
    local repo="$1"
    local lenet="$repo/../shared/fixtures/caffe-lenet"
    local lenet_cfg="<statistics>$lenet/lenet.calibration.table</statistics><model>$lenet/lenet.prototxt</model><weights>$lenet/lenet.caffemodel</weights><failOnViolation>false</failOnViolation>"
    cat <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>byte-identity</groupId>
  <artifactId>matrix</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.int8cal</groupId>
        <artifactId>nvdla-int8-maven-plugin</artifactId>
        <version>0.1.0-SNAPSHOT</version>
        <executions>
EOF
    for mode in compiler precise; do
        for scope in per-filter per-kernel; do
            for input in image feature; do
                for hw in nv_small nv_full; do
                    exec_xml "lenet-$mode-$scope-$input-$hw" "$lenet_cfg<registerMode>$mode</registerMode><weightQuantization>$scope</weightQuantization><inputFormat>$input</inputFormat><hardware>$hw</hardware>"
                done
            done
        done
    done
    for hw in nv_small_256 nv_small_256_full nv_medium_512 nv_medium_1024_full nv_large; do
        exec_xml "lenet-hw-$hw" "$lenet_cfg<hardware>$hw</hardware>"
    done
    exec_xml lenet-no-weights "<statistics>$lenet/lenet.calibration.table</statistics><model>$lenet/lenet.prototxt</model>"
    exec_xml lenet-samples "$lenet_cfg<samples>\${project.basedir}/lenet-samples</samples><maxSamples>3</maxSamples><minSqnrDb>25</minSqnrDb><minCosine>0.999</minCosine>"
    exec_xml lenet-samples-precise "$lenet_cfg<samples>\${project.basedir}/lenet-samples</samples><registerMode>precise</registerMode><maxSamples>0</maxSamples>"
    exec_xml lenet-nvdla-json "<statistics>$lenet/lenet.int8.json</statistics><statisticsFormat>nvdla-json</statisticsFormat><statisticsNaming>layer</statisticsNaming><model>$lenet/lenet.prototxt</model><weights>$lenet/lenet.caffemodel</weights><failOnViolation>false</failOnViolation>"
    exec_xml lenet-options "$lenet_cfg<unifyScales>false</unifyScales><statisticsNaming>tensorrt</statisticsNaming><inputMean>33</inputMean><inputNormalize>0.00390625</inputNormalize><maxMantissaBitsLost>0</maxMantissaBitsLost><syntheticSamples>2</syntheticSamples><seed>7</seed><threads>1</threads><trtVersion>100300</trtVersion><trtCalibrator>MinMaxCalibration</trtCalibrator>"
    exec_xml lenet-gate "$lenet_cfg<maxSaturation>0.001</maxSaturation><minSqnrDb>40</minSqnrDb><minCosine>0.9999</minCosine><layerRules><layerRule><layer>conv1</layer><minSqnrDb>10</minSqnrDb></layerRule><layerRule><layer>ip2</layer><maxSaturation>0.5</maxSaturation><minCosine>0.5</minCosine></layerRule></layerRules>"
    exec_xml lenet-no-verify "$lenet_cfg<verify>false</verify><overrides><override><tensor>ip2</tensor><amax>20</amax></override><override><tensor>conv1</tensor><amax>3.5</amax></override></overrides>"
    for model in onnx-model lost-bits-warning gate-fails; do
        for mode in compiler precise; do
            for scope in per-filter per-kernel; do
                exec_xml "$model-$mode-$scope" "<statistics>$repo/src/it/$model/stats.json</statistics><model>$repo/src/it/$model/model.onnx</model><method>max</method><registerMode>$mode</registerMode><weightQuantization>$scope</weightQuantization><failOnViolation>false</failOnViolation>"
            done
        done
    done
    for mode in compiler precise; do
        exec_xml "tiny-cnn-$mode" "<statistics>$repo/examples/tiny-cnn-model/stats.json</statistics><model>$repo/examples/tiny-cnn-model/model.onnx</model><method>max</method><registerMode>$mode</registerMode><minSqnrDb>20</minSqnrDb><failOnViolation>false</failOnViolation>"
    done
    for method in max percentile entropy mse; do
        exec_xml "basic-$method" "<statistics>$repo/src/it/basic/stats.json</statistics><method>$method</method><percentile>99.5</percentile><allowMaxFallback>true</allowMaxFallback><overrides><override><tensor>data</tensor><percentile>99</percentile></override></overrides>"
    done
    local i=0
    for cache in "$repo"/../shared/fixtures/trt-caches/*; do
        i=$((i + 1))
        exec_xml "trt-cache-$i" "<statistics>$cache</statistics>"
    done
    cat <<EOF
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
EOF
}

collect() {
    local repo out
    repo="$(cd "$1" && pwd)"
    out="$2"
    rm -rf "$out"
    mkdir -p "$out"
    out="$(cd "$out" && pwd)"
    local log="$out/harness.log"
    echo "building $repo (ITs included; log in $log)"
    (cd "$repo" && ./mvnw -B -o clean verify -DskipTests -Dmaven.test.failure.ignore=true) > "$log" 2>&1 || true
    grep -E 'Passed: [0-9]+, Failed' "$log" | sed 's/\[INFO\] *//' > "$out/its.summary" || true
    cat "$out/its.summary"
    for it in "$repo"/target/it/*/; do
        copy_outputs "$it" "$out/its/$(basename "$it")"
    done

    local work="$repo/target/byte-identity"
    local settings="$work/settings.xml"
    mkdir -p "$work"
    cat > "$settings" <<EOF
<settings><mirrors><mirror><id>it-local</id><mirrorOf>*</mirrorOf><url>file://$HOME/.m2/repository</url></mirror></mirrors></settings>
EOF
    local mvn=("$repo/mvnw" -B -o -s "$settings" -Dmaven.repo.local="$repo/target/local-repo")

    for ex in "$repo"/examples/*/; do
        local name
        name="$(basename "$ex")"
        local profiles=(default)
        [ -f "$ex/stats-understated.json" ] && profiles+=(understated)
        for p in "${profiles[@]}"; do
            local dir="$work/examples/$name-$p"
            mkdir -p "$dir"
            cp -r "$ex"/. "$dir"
            local args=()
            [ "$p" != default ] && args=(-P"$p")
            ("${mvn[@]}" -f "$dir/pom.xml" package "${args[@]}" > "$dir/build.log" 2>&1 && echo ok || echo failed) \
                > "$dir/result"
            copy_outputs "$dir" "$out/examples/$name-$p"
            cp "$dir/result" "$out/examples/$name-$p/result"
        done
    done

    local matrix="$work/matrix"
    mkdir -p "$matrix/lenet-samples"
    python3 - "$matrix/lenet-samples" <<'EOF'
import sys, numpy as np
rng = np.random.default_rng(20260101)
for i in range(4):
    np.save(f"{sys.argv[1]}/digit{i}.npy", rng.random((1, 1, 28, 28), dtype=np.float32))
EOF
    matrix_pom "$repo" > "$matrix/pom.xml"
    ("${mvn[@]}" -f "$matrix/pom.xml" package > "$matrix/build.log" 2>&1 && echo ok || echo failed) > "$matrix/result"
    cp "$matrix/result" "$out/matrix.result"
    mask_log "$matrix/build.log" > "$out/matrix.build.log.plugin"
    for run in "$matrix"/target/runs/*/; do
        local dest
        dest="$out/matrix/$(basename "$run")"
        mkdir -p "$dest"
        (cd "$run" && find . -type f ! -name '.calibrate.digest' -print0 | xargs -0 -r cp --parents -t "$dest")
    done
    normalize_paths "$out" "$repo"
    echo "matrix: $(cat "$out/matrix.result"), $(ls "$out/matrix" | wc -l) runs; examples: $(cat "$out"/examples/*/result | tr '\n' ' ')"
    echo "collected $(find "$out" -type f | wc -l) files into $out"
}

compare() {
    local a="$1" b="$2"
    if diff -r -q -x harness.log "$a" "$b" > /dev/null; then
        echo "identical: $(find "$a" -type f ! -name harness.log | wc -l) files"
        return 0
    fi
    echo "DIFFERENCES:"
    diff -r -q -x harness.log "$a" "$b" || true
    return 1
}

case "${1:-}" in
    collect) [ $# -eq 3 ] || usage; collect "$2" "$3" ;;
    compare) [ $# -eq 3 ] || usage; compare "$2" "$3" ;;
    *) usage ;;
esac
