#!/usr/bin/env bash
# Builds fraudgov_<version>_amd64.deb from an already built production binary:
#   scripts/package.sh [BUILD_DIR [OUT_DIR]]     (defaults: build, BUILD_DIR)
# The package holds /usr/bin/fraudgov (never fraudgov-dev), the sample configuration as a
# conffile, the two systemd units and the README. Depends: is computed by dpkg-shlibdeps from the
# libraries the binary really links, so `apt-get install ./fraudgov_*.deb` pulls exactly those.
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
OUT_DIR="${2:-$BUILD_DIR}"
BINARY="$BUILD_DIR/bin/fraudgov"

for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture strip; do
  command -v "$tool" > /dev/null || { echo "package: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 1; }
done
[ -x "$BINARY" ] || { echo "package: $BINARY not built (cmake --build $BUILD_DIR --target fraudgov)" >&2; exit 1; }

# "fraudgov 0.1.0 (commit abc1234, Release build)": the package version is the binary's own.
version_line=$("$BINARY" --version)
version=$(awk '{print $2}' <<< "$version_line")
[[ "$version" =~ ^[0-9]+(\.[0-9]+)*$ ]] || { echo "package: unexpected --version output: $version_line" >&2; exit 1; }
case "$version_line" in
  *", Release build)"* | *", RelWithDebInfo build)"*) ;;
  *) echo "package: warning: packaging a non-release build ($version_line)" >&2 ;;
esac
arch=$(dpkg-architecture -qDEB_HOST_ARCH)

work=$(mktemp -d /tmp/fraudgov-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"

install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/etc/fraudgov" "$root/lib/systemd/system" \
  "$root/usr/share/doc/fraudgov"
# Root-only: LoadCredential= sources are read by PID 1, never by the service user.
install -d -m 0700 "$root/etc/fraudgov/credentials"
install -m 0755 "$BINARY" "$root/usr/bin/fraudgov"
strip --strip-unneeded --remove-section=.comment "$root/usr/bin/fraudgov"
install -m 0644 packaging/fraudgov.toml "$root/etc/fraudgov/fraudgov.toml"
install -m 0644 packaging/fraudgov.service packaging/fraudgov-migrate.service "$root/lib/systemd/system/"
install -m 0644 README.md "$root/usr/share/doc/fraudgov/README.md"
install -m 0755 packaging/postinst packaging/prerm packaging/postrm "$root/DEBIAN/"
echo /etc/fraudgov/fraudgov.toml > "$root/DEBIAN/conffiles"

# dpkg-shlibdeps wants a source package around it; a two-stanza control file is enough.
mkdir -p "$work/src/debian"
printf 'Source: fraudgov\n\nPackage: fraudgov\nArchitecture: any\n' > "$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/fraudgov" 2> "$work/shlibdeps.log") \
  || { cat "$work/shlibdeps.log" >&2; exit 1; }
depends=${depends#shlibs:Depends=}
[ -n "$depends" ] || { echo "package: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: fraudgov
Version: $version
Architecture: $arch
Maintainer: fraudgov maintainers <maintainers@users.noreply.r-seed-924bb8cc.example>
Installed-Size: $installed_size
Depends: $depends
Section: net
Priority: optional
Description: fraud-rule governance control plane
 Analysts write fraud rules over a catalog of transaction fields, a second person approves
 exactly what was written, and every change lands in a tamper-evident audit log.
 .
 This package holds the production server only (no development identity provider), a
 hardened systemd unit and its migration unit. Built from $version_line.
EOF

# Reproducible: file times from the commit, owner root whoever builds.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2> /dev/null || date +%s)}"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$OUT_DIR"
deb="$OUT_DIR/fraudgov_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null
echo "package: $version_line; Depends: $depends" >&2
echo "$deb"
