/* What a first touch of fresh memory costs here: 400 MB of anonymous memory touched page by page,
 * with 4 KB pages or with transparent huge pages (madvise), on 1 or 2 threads (docs/performance.md).
 *   gcc -O2 -pthread bench/page-faults.c -o /tmp/page-faults
 *   /tmp/page-faults HUGE(0|1) THREADS(1|2)                                                        */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <pthread.h>
static double now(){struct timespec a; clock_gettime(CLOCK_MONOTONIC,&a); return a.tv_sec+a.tv_nsec/1e9;}
static char*P; static size_t N;
static void* touch(void*arg){ long h=(long)arg; for(size_t i=h*N/2;i<(h+1)*N/2;i+=4096)P[i]=1; return 0;}
int main(int c,char**v){ N=400UL<<20; int huge=atoi(v[1]), threads=atoi(v[2]);
 P=mmap(0,N+(2<<20),PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0); P=(char*)(((size_t)P+(2<<20)-1)&~((size_t)(2<<20)-1));
 if(huge) madvise(P,N,MADV_HUGEPAGE);
 double a=now();
 if(threads==1) for(size_t i=0;i<N;i+=4096)P[i]=1; else { pthread_t t[2]; for(long h=0;h<2;h++) pthread_create(&t[h],0,touch,(void*)h); for(int h=0;h<2;h++) pthread_join(t[h],0);}
 printf("huge %d threads %d: %.3f s\n",huge,threads,now()-a); }
