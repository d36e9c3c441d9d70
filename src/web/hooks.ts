// The screens' shared reads, each a query under the keys that live updates invalidate (live.tsx).

import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api } from './api.ts';
import { keys } from './live.tsx';

/** The service's clock (manual in drills and tests), read again every half minute. */
export function useClock() {
  return useQuery({ queryKey: keys.clock, queryFn: api.clock, refetchInterval: 30_000 });
}

/** The doctors; read again every minute, since adding a doctor is not an event of the live feed. */
export function useDoctors() {
  return useQuery({ queryKey: keys.doctors, queryFn: api.doctors, refetchInterval: 60_000 });
}

/** A doctor-day; `date` undefined is the hospital's today. */
export function useSchedule(doctorId: string | undefined, date: string | undefined) {
  return useQuery({
    queryKey: keys.schedule(doctorId ?? '', date),
    queryFn: () => api.schedule(doctorId!, date),
    enabled: doctorId !== undefined && doctorId !== '',
  });
}

/** A value kept in the page's query string (?doctor=…&date=…), so a reload or a shared link keeps it. */
export function useUrlParam(name: string): [string | undefined, (value: string | undefined) => void] {
  const [value, setValue] = useState(() => new URLSearchParams(window.location.search).get(name) ?? undefined);
  const set = useCallback(
    (next: string | undefined) => {
      const params = new URLSearchParams(window.location.search);
      if (next === undefined || next === '') params.delete(name);
      else params.set(name, next);
      const query = params.toString();
      window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
      setValue(next === '' ? undefined : next);
    },
    [name],
  );
  return [value, set];
}
