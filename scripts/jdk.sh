# Sourced by the launchers: finds a JDK >= 21 and exports JAVA_HOME for it.
# Order: $JAVA_HOME if new enough, then `java` on the PATH, then the usual
# install locations (Debian's /usr/lib/jvm, SDKMAN, /opt).
coordinate_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

coordinate_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local dir
  for dir in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk* /usr/local/jdk*; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  local best="" best_major=0 major
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(coordinate_java_major "$dir")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "error: Coordinate for Java needs a JDK 21 or newer, and none was found." >&2
    echo "       Looked at \$JAVA_HOME, the javac on PATH and /usr/lib/jvm, ~/.sdkman, /opt." >&2
    echo "       Install one, e.g. 'apt-get install openjdk-21-jdk' (or Temurin 21+), then retry." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven 3.8 still calls sun.misc.Unsafe; newer JDKs warn about it on every run.
  if [ "$best_major" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
