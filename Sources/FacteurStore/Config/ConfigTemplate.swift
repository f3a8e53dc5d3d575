/// The commented configuration `facteur init` writes for a real deployment.
public enum ConfigTemplate {
    public static func render(domain: String, hostname: String, dataDir: String) -> String {
        """
        # Facteur configuration. Every key below is optional except hostname and domains;
        # the values shown are the defaults unless marked "example".

        # The name this server greets with; the MX record of each domain should name it.
        hostname = "\(hostname)"
        # Mail is accepted for these domains only. Facteur never relays.
        domains  = ["\(domain)"]
        # Mailboxes (Maildir++), the database and the self-signed certificate live here
        # (relative paths are relative to this file's folder).
        data_dir = "\(dataDir)"
        # When started as root, switch to this user after binding the ports
        # (the systemd unit instead starts as this user with CAP_NET_BIND_SERVICE).
        # user = "facteur"
        # log_level = "info"       # debug, info, notice, warning, error

        [smtp]
        # Any number of host:port, IPv4 and IPv6. The router forwards public port 25 here.
        listen = ["0.0.0.0:25", "[::]:25"]
        max_message_size = 104857600   # bytes; advertised in SIZE and enforced during DATA
        # max_recipients = 100
        # max_errors = 10              # bad commands before the connection is closed
        # greeting_timeout = "5m"
        # command_timeout = "5m"
        # data_timeout = "3m"
        # A command line must be complete within command_timeout of its first byte; a session
        # may spend at most this long outside a message (before DATA, and after each one).
        # session_timeout = "10m"

        [imap]
        # Standard port and, if the ISP or a hotel network blocks 143, an alternate one above 1024.
        listen = ["0.0.0.0:143", "[::]:143"]
        # listen_tls = ["0.0.0.0:993"]
        # Networks allowed to log in without TLS (e.g. the office LAN); 127.0.0.1 and ::1
        # always are. Everyone else must use STARTTLS or the TLS port.
        # plaintext_networks = ["192.168.1.0/24"]

        [pop3]
        listen = ["0.0.0.0:110", "[::]:110"]
        # listen_tls = ["0.0.0.0:995"]

        [tls]
        # PEM files. Without them a self-signed certificate for hostname is generated once
        # under data_dir/tls.
        # cert = "/etc/letsencrypt/live/\(hostname)/fullchain.pem"
        # key  = "/etc/letsencrypt/live/\(hostname)/privkey.pem"

        [guard]
        # An address that misbehaves is refused for this long.
        ban_duration = "24h"
        # Repeat offenders (example): escalation = ["24h", "7d", "30d"]
        # Never banned, whatever they do:
        never_ban = ["127.0.0.1/32", "::1/128"]
        # deny = ["203.0.113.0/24"]
        # deny_countries = ["XX"]       # needs geoip_db
        # geoip_db = "/var/lib/GeoIP/GeoLite2-Country.mmdb"
        # dnsbl = ["zen.spamhaus.org"]
        # A wrong IMAP/POP3 password is answered after this delay, doubled for each further
        # failure from the address; attempts from it wait their turn ("0" turns this off).
        # auth_failure_delay = "2s"
        # auth_failure_delay_max = "15s"

        # [mail]
        # Quotas (IMAP QUOTA, SMTP 452 4.2.2 when full): none unless set here.
        # quota = "2 GB"                 # every user; "none" = no limit
        # quota_messages = 100000
        # [mail.user_quota]
        # "boss@\(domain)" = "none"
        # "alice@\(domain)" = { storage = "10 GB", messages = 50000 }

        # [auth]
        # A verified password is remembered for this long (a keyed digest in memory, never the
        # password), so repeated IMAP/POP3 logins skip the slow hash; "0" verifies every login.
        # login_cache = "1h"

        # [dns]
        # nameserver = "127.0.0.1:53"   # default: the system resolver

        [mailauth]
        # SPF, DKIM and DMARC checks of every message received from outside, before it is
        # accepted; the verdict is added as an Authentication-Results header.
        enabled = true
        # Not checked (local programs, the office LAN):
        trusted_networks = ["127.0.0.0/8", "::1/128"]
        # For DMARC's organisational domains (Debian: apt-get install publicsuffix).
        # public_suffix_list = "/usr/share/publicsuffix/public_suffix_list.dat"
        # What each failure leads to: "reject" (550 5.7.1), "junk" (the Junk folder) or "ignore".
        dmarc_reject = "reject"           # DMARC fail, the domain publishes p=reject
        dmarc_quarantine = "junk"         # DMARC fail, p=quarantine
        spf_fail = "junk"                 # SPF -all fail
        own_domain_forgery = "reject"     # From: one of our domains, not authenticated
        # A DNS error that leaves the verdict open: "tempfail" (451, the sender retries) or "accept".
        dns_errors = "tempfail"

        # [greylist]
        # Defer the first message of an unknown (client /24 or /64, sender, recipient) with 451;
        # real servers retry and pass after the delay, and are remembered. Never for never_ban /
        # allow networks.
        # enabled = false
        # delay = "5m"
        # memory = "35d"

        # [spam]
        # Score every checked message with rspamd (HTTP /checkv2) before accepting it: its action
        # "reject" → 550, "soft reject"/"greylist" → 451, "add header"/"rewrite subject" → Junk.
        # rspamd = "127.0.0.1:11333"
        # unreachable = "accept"            # deliver with a header saying so, or "tempfail" (451)
        # timeout = "15s"

        [console]
        theme = "default"
        show_bodies = true

        # [router]
        # public_address = "203.0.113.7"      # else unknown, or asked from the router:
        # discover = false                    # true: ask the router over NAT-PMP (RFC 6886)
        # public_ports = { smtp = 25, imap = 20143 }   # when the router maps other public ports

        # Collect mail that still arrives at the provider's mailboxes (like MercuryD).
        # [[collect]]
        # name = "provider"
        # protocol = "pop3"                   # or "imap"
        # host = "pop.provider.example"
        # tls = "implicit"                    # "implicit" (995/993), "starttls", or "none"
        # user = "office@provider.example"
        # password_file = "/etc/facteur/provider.password"   # mode 0600
        # recipient = "office@\(domain)"
        # interval = "5m"
        # keep_days = 0                       # 0: delete at the provider once stored here
        """ + "\n"
    }
}
