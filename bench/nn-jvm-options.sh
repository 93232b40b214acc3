# shellcheck shell=bash
# Sourced by the bench scripts: nn_jvm_options as the nn launcher (nn-dist/src/bin/nn) sets them,
# its options line and the transparent huge pages it adds where the kernel offers them.
eval "$(grep '^nn_jvm_options=' nn-dist/src/bin/nn)"
case $(cat /sys/kernel/mm/transparent_hugepage/enabled 2> /dev/null) in
  *"[always]"* | *"[madvise]"*) nn_jvm_options="$nn_jvm_options -XX:+UseTransparentHugePages" ;;
esac
