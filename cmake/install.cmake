# cmake/install.cmake - what `cmake --install` puts where (GNUInstallDirs), and the Debian
# package `cpack -G DEB` makes of the same files.
#
#   bin/tcpsim                                       the command
#   share/man/man1/tcpsim.1.gz                       tcpsim(1), made by tcpsim-docgen (cli/)
#   share/bash-completion/completions/tcpsim         bash completion, made by tcpsim-docgen
#   share/tcpsim/scenarios/*.tcpsim, examples/       the built-in scenarios' files, to copy
#   share/tcpsim/samples/*.pcap, *.nstat, *.ss       real kernel captures with the kernel's counters
#   share/doc/tcpsim/README.md, docs/*.md            the documentation
#
# Scenario files and captures go to share/tcpsim, not share/doc: they are data to run tcpsim on,
# and Debian lets an administrator drop /usr/share/doc (dpkg path-exclude), which must lose
# nothing but reading matter.  `cmake --install build --prefix /usr/local` and DESTDIR both
# work; tests/install/ checks each file's place, the man page, the completion and the package.
include(GNUInstallDirs)

install(TARGETS tcpsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${TCPSIM_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${TCPSIM_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME tcpsim)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/samples/scenarios/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tcpsim/scenarios
        FILES_MATCHING PATTERN "*.tcpsim" PATTERN "README.md")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/samples/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tcpsim/samples
        FILES_MATCHING PATTERN "*.pcap" PATTERN "*.nstat" PATTERN "*.ss" PATTERN "README.md"
        PATTERN "scenarios" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md"
        PATTERN "diagrams" EXCLUDE)
# the three pictures README.md shows (all of docs/diagrams would be 4.7 MB; tcpsim --scenario
# all -o DIR/ draws them)
install(FILES ${PROJECT_SOURCE_DIR}/docs/diagrams/handshake.png
              ${PROJECT_SOURCE_DIR}/docs/diagrams/loss.png
              ${PROJECT_SOURCE_DIR}/docs/diagrams/close.png
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs/diagrams)

# ---- the Debian package: cpack -G DEB in the build directory ----
set(TCPSIM_DEB_MAINTAINER "tcpsim developers <maintainers@tcpsim.invalid>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tcpsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${TCPSIM_DEB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "TCP state machine simulator and capture replayer with diagrams")
# the long description, in lines of at most 72 columns as Debian's policy asks
set(CPACK_PACKAGE_DESCRIPTION
    "tcpsim simulates a TCP connection between a client and a server, or
replays a pcap or pcapng capture, and shows what both endpoints do: every
segment with its flags, sequence and acknowledgment numbers, every RFC 9293
state change, every timer, RTT sample and retransmission. Simulation and
replay go through one TCP endpoint written after RFC 9293, 6298 and 5681.
The trace is printed as text or JSON Lines, or drawn with cairo as a
sequence (ladder) diagram or a time-sequence graph in PNG, SVG or PDF.
Scenarios are small text files whose expectations make them tests;
tcpdump's -r, -i, -c, -n and -w options are understood.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # tcpsim_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# the libraries' packages (libc6, libpcap0.8, libcairo2) and versions, from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "tcpdump, tshark, bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
