/*
 * cli_settings.h - the option codes shared by the option parser and the code that applies the
 * simulation settings to a scenario.
 */
#ifndef TCPSIM_CLI_SETTINGS_H
#define TCPSIM_CLI_SETTINGS_H

enum {
    O_SCENARIO = 256,
    O_LIST,
    O_JSON,
    O_VERSION,
    O_PROFILE,
    O_RTT,
    O_BW,
    O_LOSS,
    O_DUP,
    O_REORDER,
    O_REORDER_DELAY,
    O_SEED,
    O_ISN_C,
    O_ISN_S,
    O_MSS,
    O_RCVBUF,
    O_SNDBUF,
    O_MSL,
    O_RTO_MIN,
    O_RTO_INIT,
    O_RTO_MAX,
    O_CLOCK_G,
    O_DELACK,
    O_NO_DELACK,
    O_NO_NAGLE,
    O_IW,
    O_SYN_LOSS_IW,
    O_SYN_RETRIES,
    O_MAX_RETRIES,
    O_UNTIL,
    O_PCAP,
    O_LIVE,
    O_SUMMARY,
    O_FLOW,
    O_MAX_CONNS,
    O_ABSOLUTE,
    O_GRAPH,
    O_SCALE,
    O_FROM,
    O_TO,
    O_TITLE,
    O_SCENARIO_FILE,
    O_WRITE_PCAP,
    O_VANTAGE,
    O_PCAP_LINK,
    O_LAYOUT_JSON,
    O_TIME_AXIS,
    O_PAGE,
    O_SHOW,
    /* O_MECH + TCP_MECH_x (sim/tcp_mech.h): --sack, --cc, --nagle...; kept apart from the codes
     * above so that either list can grow */
    O_MECH = 0x1000,
};

#endif
