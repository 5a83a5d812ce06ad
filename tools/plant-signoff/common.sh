#!/bin/bash
# usage: common.sh RUNDIR  -- prints the balance/demand/outage figures of one run folder
cd "$1" || exit 1
Q=${DUCKQ:-duckq}
F="'facility/*/*.parquet'"; P="'plant/*/*.parquet'"; E="'events/*.parquet'"
echo "== power balance: grid + generator + UPS - total, every interval"
$Q "select count(*) intervals, max(abs(grid_power_w+generator_power_w+ups_power_w-total_power_w)) max_abs_w, max(abs(grid_power_w+generator_power_w+ups_power_w-total_power_w)/total_power_w) max_rel from $F"
echo "== 15-minute demand: highest interval grid power (the output interval is 15 min, clock-aligned)"
$Q "select max(grid_power_w)/1e3 peak_15min_kw, arg_max(time, grid_power_w) at_utc from $F"
echo "== outage window (UTC; 2026-09-03 10:00 local = 15:00 UTC)"
$Q "select strftime(time, '%m-%d %H:%M') t, round(grid_power_w/1e3,1) grid_kw, round(generator_power_w/1e3,1) gen_kw, round(ups_power_w/1e3,1) ups_kw, round(total_power_w/1e3,1) total_kw, round(grid_cap_w/1e3,1) cap_kw, round(headroom_w/1e3,1) headroom_kw from $F where strftime(time, '%Y-%m-%d %H') between '2026-09-03 13' and '2026-09-03 17' order by time"
echo "== events by kind"
$Q "select kind, count(*) n, min(time) first_utc from $E group by kind order by first_utc"
echo "== generator events"
$Q "select time, kind, source, description from $E where kind in ('generator_start','generator_online','ups_depleted','engine_start_failed','curve_extrapolated') order by time limit 20"
echo "== heat: facility-side heat in vs heat rejected by the tower + dry cooler (year, MWh)"
$Q "with f as (select sum(it_power_w*interval_s)/3.6e9 it, sum(losses_power_w*interval_s)/3.6e9 losses, sum(total_power_w*interval_s)/3.6e9 total, sum(other_power_w*interval_s)/3.6e9 other, sum(gas_power_w*interval_s)/3.6e9 gas from $F), p as (select sum(case when kind='tower' then load_w*interval_s end)/3.6e9 tower, sum(case when kind='tower' then electric_power_w*interval_s end)/3.6e9 tower_fan, sum(case when kind='loop' then load_w*interval_s end)/3.6e9 loop_heat, sum(case when kind='chiller' then load_w*interval_s end)/3.6e9 chiller_cooling, sum(case when kind='economizer' then load_w*interval_s end)/3.6e9 econ from $P) select * from f, p"
