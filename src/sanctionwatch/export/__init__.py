"""Exports: what the store holds, as JSON Lines, CSV, Parquet (`tables`, `writers`) or
FollowTheMoney entities (`ftm`), streamed in bounded memory."""
