# Interface targets every program links, so flags live in one place.

add_library(tour_warnings INTERFACE)
add_library(tour::warnings ALIAS tour_warnings)
target_compile_options(tour_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<BOOL:${TOUR_WERROR}>:-Werror>)

if(TOUR_SANITIZER STREQUAL "address")
  # All of UBSan but its vptr check: before it reads an object's vtable, g++ 12's UBSan tests
  # that the memory is readable by writing it to a pipe(), and with every descriptor in use (the
  # tour's `ulimit -n` rows: 04_asio_threads --sites 300 under ulimit -n 64) pipe() fails with
  # EMFILE and a sound object is reported as "object has invalid vptr". ASan still checks every
  # access to freed or foreign memory, which is what that check would catch here.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
elseif(TOUR_SANITIZER STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT TOUR_SANITIZER STREQUAL "")
  message(FATAL_ERROR "TOUR_SANITIZER must be '', 'address' or 'thread', not '${TOUR_SANITIZER}'")
endif()
if(NOT TOUR_SANITIZER STREQUAL "" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # Sanitizer instrumentation changes what GCC's flow analysis sees: with it, GCC 12 reports
  # -Wmaybe-uninitialized inside libstdc++'s own <regex> (std::function in _NFA::_M_insert_*),
  # a false positive. The warning stays on in the default and ci builds, which CI also runs.
  target_compile_options(tour_warnings INTERFACE -Wno-maybe-uninitialized)
endif()

# The tour's version, written once (project() in CMakeLists.txt): TOUR_VERSION, "0.1.0", for
# --version and the User-Agent. Link it PRIVATE where it is used.
add_library(tour_version INTERFACE)
add_library(tour::version ALIAS tour_version)
target_compile_definitions(tour_version INTERFACE TOUR_VERSION="${PROJECT_VERSION}")

# Standalone, header-only Asio.
add_library(tour_asio INTERFACE)
add_library(tour::asio ALIAS tour_asio)
target_include_directories(tour_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(tour_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED
  # Asio 1.22 decides whether to use std::aligned_alloc by testing a macro that only the
  # standard library's headers define. A file that includes Asio before any standard header
  # then allocates with malloc but frees with aligned-alloc assumptions in another file:
  # an ODR violation that ASan reports as alloc-dealloc-mismatch. One answer everywhere.
  ASIO_DISABLE_STD_ALIGNED_ALLOC)
target_link_libraries(tour_asio INTERFACE Threads::Threads)
# GCC 12 false positive: Asio's coroutine frames use a class-specific operator new/delete pair
# (a recycling allocator), which -Wmismatched-new-delete misreads once both are inlined.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(tour_asio INTERFACE -Wno-mismatched-new-delete)
endif()
if(TOUR_SANITIZER STREQUAL "thread")
  # GCC 12 warns (-Wtsan) that TSan does not understand asio's std::atomic_thread_fence;
  # asio then falls back to plain atomics that TSan does understand.
  target_compile_definitions(tour_asio INTERFACE ASIO_DISABLE_FENCED_BLOCK)
endif()

# tour_exercise(NAME ch<NN>_<name> FILE <exercise.cpp> CHECK <check.cpp> [GIVEN <given.cpp>...]
#               [LIBS <targets>...] [SIMULATOR])
#
# An exercise is a source file in <chapter>/exercises/ with `// TODO` markers, a doctest check
# beside it (<chapter>/exercises/<check.cpp>) and a worked answer in
# <chapter>/solutions/<exercise.cpp>. Called from the chapter's CMakeLists.txt. GIVEN: files in
# exercises/ with what is already written (the driver that uses the reader's code), compiled into
# both the exercise and its solution, so the two cannot drift apart. SIMULATOR: the check starts
# sitesim, so building the exercise builds sitesim too. The order, goals and hints of every
# exercise are in exercises.toml (read by tools/exercises.py: ./tour.sh exercises).
#  * Target exercise_<name> builds the reader's exercises/ file with its check; the test
#    exercise.<name> (labels `exercise` and the chapter, e.g. `ch02`) passes once it is solved.
#    Target exercises_ch<NN> builds one chapter's, `exercises` every chapter's:
#        ./tour.sh check ch02            (builds with ninja -k 0, runs the checks)
#  * A reader's half-written exercise must not break anything else: the exercise targets are
#    not part of `all` (nor of `programs`, what ./tour.sh run builds), and no exercise needs
#    another one to compile.
#  * With TOUR_EXERCISE_PROOF (CI) they are part of `all`, and the same test must FAIL by its own
#    assertions (doctest's summary reports failed test cases; a crash or a watchdog's verdict
#    does not count), while solution.<name>, built from solutions/, must pass. Neither can rot
#    unnoticed (rustlings' dev check).
function(tour_exercise)
  if(NOT TOUR_TESTS)
    return()
  endif()
  cmake_parse_arguments(EX "SIMULATOR" "NAME;FILE;CHECK" "LIBS;GIVEN" ${ARGN})
  if(NOT EX_NAME OR NOT EX_FILE OR NOT EX_CHECK)
    message(FATAL_ERROR "tour_exercise needs NAME, FILE and CHECK")
  endif()
  if(NOT EX_NAME MATCHES "^(ch[0-9][0-9])_")
    message(FATAL_ERROR "tour_exercise: NAME must start with the chapter, e.g. ch02_job_queue (got '${EX_NAME}')")
  endif()
  set(chapter ${CMAKE_MATCH_1})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  if(TOUR_EXERCISE_PROOF)
    set(exclude "")
  else()
    set(exclude EXCLUDE_FROM_ALL)
  endif()
  foreach(kind exercise solution)
    if(kind STREQUAL "exercise")
      set(source ${dir}/exercises/${EX_FILE})
    else()
      if(NOT TOUR_EXERCISE_PROOF)
        continue()
      endif()
      set(source ${dir}/solutions/${EX_FILE})
    endif()
    set(target ${kind}_${EX_NAME})
    list(TRANSFORM EX_GIVEN PREPEND ${dir}/exercises/ OUTPUT_VARIABLE given)
    add_executable(${target} ${exclude} ${source} ${given} ${dir}/exercises/${EX_CHECK})
    target_include_directories(${target} PRIVATE ${dir}/exercises ${dir} ${PROJECT_SOURCE_DIR}/tests/exercises)
    target_link_libraries(${target} PRIVATE tour_test_main tour::warnings ${EX_LIBS})
    if(EX_SIMULATOR)
      add_dependencies(${target} sitesim)
    endif()
    add_test(NAME ${kind}.${EX_NAME} COMMAND ${target})
    # Every wait inside a check gives up after 10 s with its own message (exercise_check.hpp);
    # CTest's timeout is only the last resort.
    set_tests_properties(${kind}.${EX_NAME} PROPERTIES LABELS "${kind};${chapter}" TIMEOUT 60)
  endforeach()
  if(NOT TARGET exercises_${chapter})
    add_custom_target(exercises_${chapter})
    if(NOT TARGET exercises)
      add_custom_target(exercises)
    endif()
    add_dependencies(exercises exercises_${chapter})
  endif()
  add_dependencies(exercises_${chapter} exercise_${EX_NAME})
  # For tests/exercises: the manifest (exercises.toml) must list every exercise registered here,
  # and the proof runs each untouched check (exercise binary at this path).
  set_property(GLOBAL APPEND PROPERTY TOUR_EXERCISES "${EX_NAME}=$<TARGET_FILE:exercise_${EX_NAME}>")
  if(TOUR_EXERCISE_PROOF)
    # Untouched, the check must report failed test cases (not merely crash or exit non-zero).
    set_tests_properties(exercise.${EX_NAME} PROPERTIES
      PASS_REGULAR_EXPRESSION "test cases:[^\n]*\\| *[1-9][0-9]* failed")
  endif()
endfunction()

# The doctest main, compiled once, for every test and exercise check.
if(TOUR_TESTS)
  add_library(tour_test_main STATIC ${PROJECT_SOURCE_DIR}/tests/test_main.cpp)
  target_link_libraries(tour_test_main PUBLIC doctest::doctest)
endif()
