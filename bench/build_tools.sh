# Sourced by bench/soak.sh and bench/crash.sh: builds the Release server and the load tool in
# ${build} and sets ${booklib} and ${load} to their paths. Needs ${root} and ${build}.
export CCACHE_BASEDIR="${root}" CCACHE_NOHASHDIR=1
cmake -S "${root}" -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBOOKLIB_WERROR=OFF >/dev/null
cmake --build "${build}" -j 2 --target booklib booklib_load >/dev/null
booklib="${build}/src/cli/booklib"
load="${build}/bench/load/booklib_load"
