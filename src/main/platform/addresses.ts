// Which addresses are this machine's loopback: the servers' Host checks and the review share's interface list
// both ask, so they agree.

/** Whether an address (IPv4, IPv6, IPv4-mapped or 'localhost') is the loopback interface. */
export function isLoopback(address: string): boolean {
  return (
    address === '::1' ||
    address === 'localhost' ||
    /^127\.\d+\.\d+\.\d+$/.test(address) ||
    address === '::ffff:127.0.0.1'
  );
}
