#!/bin/bash
# usage: air.sh RUNDIR -- rack air temperature rise by rack power band (airflow following the heat gives a flat rise)
cd "$1" || exit 1
Q=${DUCKQ:-duckq}
$Q "select floor(power_w/5000)*5 power_band_kw, count(*) rack_intervals, round(avg(outlet_c - inlet_c),2) mean_rise_k, round(min(outlet_c - inlet_c),2) min_rise_k, round(max(outlet_c - inlet_c),2) max_rise_k, round(avg(inlet_c),2) inlet_c, round(max(inlet_max_c),2) inlet_max_c from 'racks/*/*.parquet' group by 1 order by 1"
