"""Record a stream to a capture file, replay it into a namespace, backtest rules on it."""
